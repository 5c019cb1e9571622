import { Injectable } from '@nestjs/common';
import { FlakinessVerdict, classifyWithoutFailures } from '@testpulse/analytics';
import {
  ANALYTICS_LIMITS,
  CatalogueTestView,
  FlakinessClass,
  FlakinessRequestDto,
  FlakinessView,
  FlakyTestView,
} from '@testpulse/contracts';
import { HistoryClient, windowOf } from '../history/history.client';
import { countedWithoutFailures, flakinessOf } from './executions';

/** Tests classified between two yields to the event loop. */
const SLICE = 250;

/** Names in the order `localeCompare` gives, with the collator made once (not per comparison). */
const BY_NAME = new Intl.Collator();

/** Listing order: what needs attention first. */
const ORDER: Record<FlakinessClass, number> = { flaky: 0, broken: 1, stable: 2, 'insufficient-data': 3 };

/** A test's class and score; the classifier's verdict when it had to walk the history. */
interface Judged {
  t: number;
  classification: FlakinessClass;
  score: number;
  verdict?: FlakinessVerdict;
}

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
    const judged: Judged[] = [];
    const verdictOf = flakinessOf(history);
    for (let t = 0; t < history.tests; t++) {
      // A project's classification is a long loop: other requests' work (an executive summary's
      // failure clusters, waiting on the same window, then on lookups) goes on between slices.
      if (t % SLICE === SLICE - 1) await new Promise((next) => setImmediate(next));
      // A history without failures or retry passes needs no walk: its score is 0 and its class
      // follows from its count. The walk (for the evidence) is left to the tests that are listed.
      const counted = countedWithoutFailures(history, t);
      if (counted !== undefined) {
        const classification = classifyWithoutFailures(counted);
        counts[classification] += 1;
        if (limit !== 0) judged.push({ t, classification, score: 0 });
        continue;
      }
      const verdict = verdictOf(t);
      counts[verdict.classification] += 1;
      if (limit !== 0)
        judged.push({ t, classification: verdict.classification, score: verdict.score, verdict });
    }
    const nameOf = (t: number) => catalogue.get(history.ordinals[t])?.name ?? `test #${history.ordinals[t]}`;
    // Names looked up once, not per comparison: most tests tie on class and score (stable, 0).
    const names = new Map(judged.map(({ t }) => [t, nameOf(t)]));
    judged.sort(
      (a, b) =>
        ORDER[a.classification] - ORDER[b.classification] ||
        b.score - a.score ||
        BY_NAME.compare(names.get(a.t) as string, names.get(b.t) as string),
    );
    if (limit !== undefined && judged.length > limit) judged.length = limit;
    const tests: FlakyTestView[] = judged.map(({ t, verdict }) => {
      const { classification, score, evidence } = verdict ?? verdictOf(t);
      const test = catalogue.get(history.ordinals[t]);
      return {
        testId: test?.testId ?? '',
        suite: test?.suite ?? '',
        name: nameOf(t),
        ...(test?.file ? { file: test.file } : {}),
        classification,
        score,
        evidence: evidence as FlakyTestView['evidence'],
      };
    });
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
