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
export interface Judged {
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
    listingOrder(judged, limit ?? judged.length, nameOf);
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

/**
 * Puts the first `listed` of `judged` in listing order: class, then score (highest first), then name.
 * Names are compared only within the ties on class and score that reach into the listed part (most
 * tests tie as stable with score 0, and comparing names by collation was most of a sort of thousands),
 * each name looked up once. The order is the one a full sort by all three gives; the rest is dropped.
 */
export function listingOrder(judged: Judged[], listed: number, nameOf: (t: number) => string): void {
  judged.sort((a, b) => ORDER[a.classification] - ORDER[b.classification] || b.score - a.score);
  const end = Math.min(listed, judged.length);
  for (let i = 0; i < end;) {
    let j = i + 1;
    while (
      j < judged.length &&
      judged[j].classification === judged[i].classification &&
      judged[j].score === judged[i].score
    )
      j++;
    if (j - i > 1) {
      const tied = judged.slice(i, j).map((entry) => ({ entry, name: nameOf(entry.t) }));
      tied.sort((a, b) => BY_NAME.compare(a.name, b.name));
      tied.forEach(({ entry }, k) => (judged[i + k] = entry));
    }
    i = j;
  }
  judged.length = end;
}
