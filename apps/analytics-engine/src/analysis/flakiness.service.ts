import { Injectable } from '@nestjs/common';
import { classifyFlakiness } from '@testpulse/analytics';
import {
  ANALYTICS_LIMITS,
  FlakinessClass,
  FlakinessRequestDto,
  FlakinessView,
  FlakyTestView,
} from '@testpulse/contracts';
import { HistoryClient, windowOf } from '../history/history.client';
import { executionsByTest } from './executions';

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
    const [runs, catalogue] = await Promise.all([
      this.history.runsWithOutcomes(window),
      this.history.catalogue(request.project),
    ]);
    const counts: Record<FlakinessClass, number> = { flaky: 0, broken: 0, stable: 0, 'insufficient-data': 0 };
    const tests: FlakyTestView[] = [];
    for (const [testId, executions] of executionsByTest(runs)) {
      const verdict = classifyFlakiness(executions);
      const test = catalogue.get(testId);
      counts[verdict.classification] += 1;
      tests.push({
        testId,
        suite: test?.suite ?? '',
        name: test?.name ?? testId,
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
    return {
      project: request.project,
      ...(request.branch ? { branch: request.branch } : {}),
      from,
      to,
      runs: runs.length,
      counts,
      tests,
    };
  }
}
