import { Injectable } from '@nestjs/common';
import {
  CacheNamespace,
  AppendBatchMessage,
  AppendBatchReply,
  DEFAULT_PAGE_SIZE,
  EXECUTION_EVENTS,
  ExecutionEvent,
  ExecutionListQueryDto,
  LatestRunsMessage,
  FinishRunMessage,
  IngestReply,
  Page,
  RunResultsMessage,
  RunState,
  RunView,
  StartRunMessage,
  StartRunReply,
  StoredResultView,
} from '@testpulse/contracts';
import { addSummaries, emptySummary, summarize } from '@testpulse/domain';
import { TwoLayerCache } from '@testpulse/cache';
import { ServiceClient, rpcError } from '@testpulse/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { ResultsRepository } from '../results/results.repository';
import { RunRecord, RunsRepository } from '../runs/runs.repository';
import { RunFinalizer } from './run-finalizer';
import { Leases } from '../storage/leases';
import { toResultView, toRunView, toStoredResult } from './stored-result.mapper';

const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The cache namespaces whose answers include running runs. */
const RUNNING_RUN_NAMESPACES: readonly CacheNamespace[] = ['dashboard.widgets', 'reports'];

@Injectable()
export class IngestionService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly results: ResultsRepository,
    private readonly finalizer: RunFinalizer,
    private readonly locks: Leases,
    private readonly catalogue: CatalogueRepository,
    private readonly services: ServiceClient,
    private readonly cache: TwoLayerCache,
  ) {}

  /**
   * Opens a run or finds the one with this runId. A whole upload sent again with the same content is
   * a duplicate (nothing is written); with other content it is a conflict. An upload that was cut off
   * is resumed by sending it again.
   */
  async start(message: StartRunMessage): Promise<StartRunReply> {
    const { run: meta, mode, source, contentHash } = message;
    const now = new Date();
    const startedAt = meta.startedAt ? new Date(meta.startedAt) : now;
    const { run, created } = await this.runs.insertIfAbsent({
      project: meta.project,
      runId: meta.runId,
      ...(meta.name ? { name: meta.name } : {}),
      ...(meta.branch ? { branch: meta.branch } : {}),
      ...(meta.commit ? { commit: meta.commit } : {}),
      ...(meta.environment ? { environment: meta.environment } : {}),
      status: 'running',
      mode,
      source,
      ...(contentHash ? { contentHash } : {}),
      complete: false,
      startedAt,
      lastActivityAt: now,
      day: utcDay(startedAt),
      live: emptySummary(),
      nextBatch: 0,
      batches: [],
    });
    if (created) {
      // Dashboards (recent runs, live figures) and reports show running runs; analyses count finished
      // runs only, so a run's start leaves them be (its end bumps the whole project).
      await Promise.all(
        RUNNING_RUN_NAMESPACES.map((namespace) =>
          this.cache.invalidate({ project: run.project, namespace }, { retry: true }),
        ),
      );
      await this.emit(EXECUTION_EVENTS.started, run);
      return { outcome: 'created', run: toRunView(run) };
    }
    const conflict = (why: string) =>
      rpcError('CONFLICT', `run '${meta.runId}' of project '${meta.project}' ${why}`, { runId: meta.runId });
    if (mode === 'one-shot') {
      if (run.mode !== 'one-shot' || run.contentHash !== contentHash) {
        throw conflict('already exists with different content');
      }
      return { outcome: run.complete ? 'duplicate' : 'resumed', run: toRunView(run) };
    }
    if (run.mode !== 'stream') throw conflict('was uploaded whole and cannot be streamed');
    if (run.status !== 'running') throw conflict(`is already ${run.status}`);
    return { outcome: 'resumed', run: toRunView(run) };
  }

  async append(message: AppendBatchMessage): Promise<AppendBatchReply> {
    const run = await this.require(message.project, message.runId);
    // A cut-off whole upload is resumed batch by batch; a closed stream takes nothing more.
    const resumingUpload = run.mode === 'one-shot' && !run.complete;
    if (run.status !== 'running' && !resumingUpload) {
      throw rpcError(
        'CONFLICT',
        `run '${run.runId}' of project '${run.project}' is ${run.status}: no results can be added`,
      );
    }
    const batchKey =
      message.batch === undefined
        ? `a${await this.runs.reserveBatch(run.project, run.runId)}`
        : `b${message.batch}`;
    await this.runs.addBatch(run.project, run.runId, batchKey);
    const docs = message.results.map((result, index) => toStoredResult(run, batchKey, index, result));
    const inserted = await this.results.storeBatch(run, batchKey, docs);
    await this.catalogue.addNew(
      run.project,
      `${run.runId}|${batchKey}`,
      docs.map((doc) => ({
        testId: doc.testId,
        suite: doc.suite,
        name: doc.name,
        ...(doc.file ? { file: doc.file } : {}),
        firstSeen: run.startedAt,
        firstRunId: run.runId,
      })),
    );
    const delta = summarize(inserted.map((i) => message.results[i]));
    await this.runs.addLive(run.project, run.runId, delta, new Date());
    const live = addSummaries(run.live, delta);
    if (inserted.length > 0) {
      const event: ExecutionEvent = {
        project: run.project,
        runId: run.runId,
        status: 'running',
        summary: live,
        startedAt: run.startedAt.toISOString(),
      };
      await this.services.emit(EXECUTION_EVENTS.resultsAppended, {
        ...event,
        branch: run.branch,
        stored: inserted.length,
      });
    }
    return { stored: inserted.length, summary: live };
  }

  /**
   * Idempotent: finishing a finished run returns its summary. One finalisation of a run runs at a
   * time (a second waits, then finds the run complete).
   */
  async finish(message: FinishRunMessage, status: RunState = 'finished'): Promise<IngestReply> {
    const known = await this.require(message.project, message.runId);
    if (known.complete) return this.reply(known);
    return this.locks.withRun(message.project, message.runId, async () => {
      const run = await this.require(message.project, message.runId);
      if (run.complete) return this.reply(run);
      const finalStatus = run.status === 'running' ? status : run.status;
      const finishedAt = message.finishedAt ? new Date(message.finishedAt) : (run.finishedAt ?? new Date());
      const summary = await this.finalizer.finalize(run, finalStatus, finishedAt);
      return { runId: run.runId, project: run.project, status: finalStatus, summary };
    });
  }

  async get(project: string, runId: string): Promise<RunView> {
    return toRunView(await this.require(project, runId));
  }

  async list(query: ExecutionListQueryDto): Promise<Page<RunView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.runs.page(query, (page - 1) * pageSize, pageSize);
    return { items: items.map(toRunView), page, pageSize, total };
  }

  /** The newest runs, without counting them all (a count is a second scan on FerretDB). */
  async latest(message: LatestRunsMessage): Promise<RunView[]> {
    return (await this.runs.latest(message.project, message.limit, message.branch)).map(toRunView);
  }

  /** A page of a run's results (optionally of one status), in the order they arrived. */
  async resultsOf(query: RunResultsMessage): Promise<Page<StoredResultView>> {
    const run = await this.require(query.project, query.runId);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const facts = await this.results.factsOfRun(run);
    const matching = query.status ? facts.filter((fact) => fact.status === query.status) : facts;
    const start = (page - 1) * pageSize;
    const items = await this.results.findByIds(
      matching.slice(start, start + pageSize).map((fact) => fact.id),
    );
    return { items: items.map(toResultView), page, pageSize, total: matching.length };
  }

  private reply(run: RunRecord): IngestReply {
    return { runId: run.runId, project: run.project, status: run.status, summary: run.summary ?? run.live };
  }

  private async require(project: string, runId: string): Promise<RunRecord> {
    const run = await this.runs.find(project, runId);
    if (!run) throw rpcError('NOT_FOUND', `run '${runId}' does not exist in project '${project}'`);
    return run;
  }

  private async emit(event: string, run: RunRecord): Promise<void> {
    const payload: ExecutionEvent = {
      project: run.project,
      runId: run.runId,
      status: run.status,
      summary: run.summary ?? run.live,
      ...(run.branch ? { branch: run.branch } : {}),
      startedAt: run.startedAt.toISOString(),
    };
    await this.services.emit(event, payload);
  }
}
