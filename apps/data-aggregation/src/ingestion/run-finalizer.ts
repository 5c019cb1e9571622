import { Injectable } from '@nestjs/common';
import { EXECUTION_EVENTS, ExecutionEvent, MetricsUpdatedEvent, RunState } from '@testpulse/contracts';
import { ResultStatus, RunSummary, emptySummary } from '@testpulse/domain';
import { ServiceClient } from '@testpulse/messaging';
import { CatalogueRepository, CatalogueUpdate } from '../catalogue/catalogue.repository';
import { ResultFacts, ResultsRepository } from '../results/results.repository';
import { RollupInput, planRollups } from '../rollups/rollup-plan';
import { RollupsRepository } from '../rollups/rollups.repository';
import { RunRecord, RunsRepository } from '../runs/runs.repository';
import { runKey } from '../runs/schemas/run.schema';

const outcome = (status: ResultStatus | undefined): 'pass' | 'fail' | undefined =>
  status === 'passed' ? 'pass' : status === 'failed' || status === 'errored' ? 'fail' : undefined;

/**
 * Closes a run: the exact summary from its stored results, the test catalogue, and the daily
 * rollups, applied once. Every step is idempotent, so finalising again after a crash (or twice at
 * once) gives the same numbers.
 */
@Injectable()
export class RunFinalizer {
  constructor(
    private readonly runs: RunsRepository,
    private readonly results: ResultsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly rollups: RollupsRepository,
    private readonly services: ServiceClient,
  ) {}

  async finalize(run: RunRecord, status: RunState, finishedAt: Date): Promise<RunSummary> {
    const key = runKey(run.project, run.runId);
    await this.runs.markClosing(run.project, run.runId, status, finishedAt);

    const facts: ResultFacts[] = [];
    for await (const fact of this.results.factsOfRun(run.project, run.runId)) facts.push(fact);
    const summary = emptySummary();
    for (const fact of facts) {
      summary.tests += 1;
      summary[fact.status] += 1;
      if (fact.flaky) summary.flaky += 1;
      summary.durationMs += fact.durationMs;
    }
    summary.durationMs = Math.round(summary.durationMs);

    const known = await this.catalogue.findMany([...new Set(facts.map((f) => f.testId))]);
    const inputs: RollupInput[] = [];
    const updates = new Map<string, CatalogueUpdate>();
    for (const fact of facts) {
      const test = known.get(fact.testId);
      // A resumed finalisation sees the status from before this run, not the one it wrote itself.
      const previous = test?.lastRunKey === key ? test.previousStatus : test?.lastStatus;
      const comparable = test !== undefined && test.lastSeen.getTime() <= run.startedAt.getTime();
      const [before, now] = [outcome(previous), outcome(fact.status)];
      inputs.push({
        ...fact,
        flip: comparable && before !== undefined && now !== undefined && before !== now,
      });
      updates.set(fact.testId, {
        testId: fact.testId,
        project: run.project,
        suite: fact.suite,
        name: fact.name,
        ...(fact.file ? { file: fact.file } : {}),
        status: fact.status,
        ...(previous ? { previousStatus: previous } : {}),
      });
    }

    const deltas = planRollups(run.project, run.day, inputs);
    await this.rollups.apply(key, deltas);
    await this.catalogue.record([...updates.values()], key, run.startedAt);
    await this.runs.markFinished(run.project, run.runId, { status, finishedAt, summary });

    const event: ExecutionEvent = {
      project: run.project,
      runId: run.runId,
      status,
      summary,
      branch: run.branch,
    };
    await this.services.emit(EXECUTION_EVENTS.finished, event);
    const metrics: MetricsUpdatedEvent = {
      project: run.project,
      day: run.day,
      keys: deltas.map((d) => d.id),
    };
    await this.services.emit(EXECUTION_EVENTS.metricsUpdated, metrics);
    return summary;
  }
}
