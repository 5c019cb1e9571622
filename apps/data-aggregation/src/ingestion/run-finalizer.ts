import { Injectable, Logger } from '@nestjs/common';
import {
  EXECUTION_EVENTS,
  ExecutionEvent,
  MetricsUpdatedEvent,
  RunState,
  dayDataVersion,
} from '@testpulse/contracts';
import { RunSummary, emptySummary } from '@testpulse/domain';
import { DataVersions, TwoLayerCache } from '@testpulse/cache';
import { ServiceClient } from '@testpulse/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';

import { ResultsRepository } from '../results/results.repository';
import { planRunOutcomes } from '../rollups/outcomes-plan';
import { planRollups } from '../rollups/rollup-plan';
import { CalendarRepository } from '../rollups/calendar.repository';
import { RollupsRepository } from '../rollups/rollups.repository';
import { planRunStates } from '../rollups/states-plan';
import { RunRecord, RunsRepository } from '../runs/runs.repository';
import { runKey } from '../runs/schemas/run.schema';

/**
 * Closes a run: the exact summary from its stored results, the daily rollups (applied once), its
 * packed per-test outcomes and its test states. (New tests enter the catalogue as their batches
 * arrive.) Every step is idempotent, so finalising again after a crash (or twice at
 * once) gives the same numbers.
 */
@Injectable()
export class RunFinalizer {
  private readonly logger = new Logger(RunFinalizer.name);

  constructor(
    private readonly runs: RunsRepository,
    private readonly results: ResultsRepository,
    private readonly rollups: RollupsRepository,
    private readonly calendar: CalendarRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly services: ServiceClient,
    private readonly cache: TwoLayerCache,
    private readonly versions: DataVersions,
  ) {}

  async finalize(run: RunRecord, status: RunState, finishedAt: Date): Promise<RunSummary> {
    const key = runKey(run.project, run.runId);
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (step: string) => {
      this.logger.debug({ runId: run.runId, step }, 'finalisation step done');
      const now = performance.now();
      timings[step] = Math.round(now - mark);
      mark = now;
    };
    await this.runs.markClosing(run.project, run.runId, status, finishedAt);

    const facts = await this.results.factsOfRun(run);
    const summary = emptySummary();
    for (const fact of facts) {
      summary.tests += 1;
      summary[fact.status] += 1;
      if (fact.flaky) summary.flaky += 1;
      summary.durationMs += fact.durationMs;
    }
    summary.durationMs = Math.round(summary.durationMs);
    lap('readResultsMs');

    const buckets = planRollups(run.project, run.day, facts);
    // The day is listed before any bucket counts the run (reads find a day's buckets through it).
    await this.calendar.add(run.project, run.day);
    await this.rollups.apply(key, buckets);
    await this.rollups.insertOutcomes(planRunOutcomes(run, status, facts));
    const ordinals = await this.catalogue.ordinalsOf(
      run.project,
      facts.map((fact) => fact.testId),
    );
    const states = planRunStates({ ...run, finishedAt }, status, summary, facts, ordinals);
    if (states.unnumbered > 0)
      this.logger.warn(
        { project: run.project, runId: run.runId, unnumbered: states.unnumbered },
        'executions of tests missing from the catalogue are left out of the run states',
      );
    await this.rollups.pushDayStates(run.project, run.day, states.entry);
    // The day's stored history changed: copies of it kept by readers (StoredMemo) are read again.
    await this.versions.bump(dayDataVersion(run.project, run.day));
    lap('rollupsMs');
    await this.runs.markFinished(run.project, run.runId, { status, finishedAt, summary });
    // Before anyone hears of the run (events, the reply): no cached figure that predates it is served.
    await this.cache.invalidate({ project: run.project }, { retry: true });
    this.logger.log(
      {
        project: run.project,
        runId: run.runId,
        tests: summary.tests,
        buckets: buckets.length,
        ...timings,
      },
      'run finalised',
    );

    const event: ExecutionEvent = {
      project: run.project,
      runId: run.runId,
      status,
      summary,
      branch: run.branch,
      startedAt: run.startedAt.toISOString(),
    };
    await this.services.emit(EXECUTION_EVENTS.finished, event);
    const metrics: MetricsUpdatedEvent = {
      project: run.project,
      day: run.day,
      keys: buckets.map((d) => d.id),
    };
    await this.services.emit(EXECUTION_EVENTS.metricsUpdated, metrics);
    return summary;
  }
}
