import { Injectable } from '@nestjs/common';
import { classifyFlakiness, classifyWithoutFailures } from '@testpulse/analytics';
import {
  ANALYTICS_LIMITS,
  CatalogueTestView,
  FlakinessClass,
  FlakinessRequestDto,
  FlakinessView,
  FlakyTestView,
} from '@testpulse/contracts';
import { HistoryClient, windowOf } from '../history/history.client';
import { countedWithoutFailures, flakinessExecutionsOf } from './executions';

/** Tests classified between two yields to the event loop. */
const SLICE = 250;

/** Listing order: what needs attention first. */
const ORDER: Record<FlakinessClass, number> = { flaky: 0, broken: 1, stable: 2, 'insufficient-data': 3 };

@Injectable()
export class FlakinessService {
  constructor(private readonly history: HistoryClient) {}

  async analyse(request: FlakinessRequestDto): Promise<FlakinessView> {
    const { from, to } = windowOf(request.days ?? ANALYTICS_LIMITS.defaultDays);
    const window = {
      project: request.project,
      from,
      to,
      ...(request.branch ? { branch: request.branch } : {}),
    };
    const limit = request.limit;
    const history = await this.history.statesWindow(window);
    // The window's tests only: those read before are not asked for again.
    const catalogue =
      limit === 0
        ? new Map<number, CatalogueTestView>()
        : await this.history.catalogueByOrdinal(request.project, history.ordinals);
    const counts: Record<FlakinessClass, number> = { flaky: 0, broken: 0, stable: 0, 'insufficient-data': 0 };
    const tests: FlakyTestView[] = [];
    for (let t = 0; t < history.tests; t++) {
      // A project's classification is a long loop: other requests' work (an executive summary's
      // failure clusters, waiting on the same window, then on lookups) goes on between slices.
      if (t % SLICE === SLICE - 1) await new Promise((next) => setImmediate(next));
      if (limit === 0) {
        // Counting only: a history without failures or retry passes needs no walk.
        const counted = countedWithoutFailures(history, t);
        counts[
          counted === undefined
            ? classifyFlakiness(flakinessExecutionsOf(history, t)).classification
            : classifyWithoutFailures(counted)
        ] += 1;
        continue;
      }
      const verdict = classifyFlakiness(flakinessExecutionsOf(history, t));
      counts[verdict.classification] += 1;
      const test = catalogue.get(history.ordinals[t]);
      tests.push({
        testId: test?.testId ?? '',
        suite: test?.suite ?? '',
        name: test?.name ?? `test #${history.ordinals[t]}`,
        ...(test?.file ? { file: test.file } : {}),
        classification: verdict.classification,
        score: verdict.score,
        evidence: verdict.evidence as FlakyTestView['evidence'],
      });
    }
    tests.sort(
      (a, b) =>
        ORDER[a.classification] - ORDER[b.classification] ||
        b.score - a.score ||
        a.name.localeCompare(b.name),
    );
    if (limit !== undefined && tests.length > limit) tests.length = limit;
    return {
      project: request.project,
      ...(request.branch ? { branch: request.branch } : {}),
      from,
      to,
      runs: history.runs.length,
      counts,
      tests,
    };
  }
}
