import { Injectable } from '@nestjs/common';
import { ExecutionEvent } from '@testpulse/contracts';
import type { NormalConfig, RecentRunEntry, RecentRunsData } from './widget-data.service';

/** Run events older than this are dropped: by then the stored run list has them. */
const KEEP_MS = 15 * 60_000;
/** Runs remembered per project (a bound on memory under a flood of runs). */
const MAX_PER_PROJECT = 200;
/** A finished run is shown from its event this long: by then the stored lists hold its end. */
const KEEP_FINISHED_MS = 60_000;

interface LiveRun {
  project: string;
  runId: string;
  status: ExecutionEvent['status'];
  summary: ExecutionEvent['summary'];
  branch?: string;
  /** The run's start as its events tell it (older events lack it: when this process first heard of it). */
  startedAt: string;
  finishedAt?: string;
  at: number;
}

/**
 * The latest state of runs in progress, from data-aggregation's run events (every instance hears
 * them all). A stored run list is cached until a run starts or finishes; in between, batches land:
 * this overlay gives the recent-runs widget their progress without reading the runs again. A finished
 * run is shown finished from its event for a minute (a live widget shows the end at once, before the
 * stored list is read again), then forgotten: the lists read after its end hold it.
 */
@Injectable()
export class LiveRuns {
  private readonly projects = new Map<string, Map<string, LiveRun>>();

  heard(event: ExecutionEvent, kind: 'started' | 'progress' | 'finished', now = Date.now()): void {
    let runs = this.projects.get(event.project);
    if (!runs) this.projects.set(event.project, (runs = new Map()));
    const seen = runs.get(event.runId);
    runs.delete(event.runId);
    runs.set(event.runId, {
      project: event.project,
      runId: event.runId,
      status: event.status,
      summary: event.summary,
      ...(event.branch ? { branch: event.branch } : {}),
      startedAt: event.startedAt ?? seen?.startedAt ?? new Date(now).toISOString(),
      ...(kind === 'finished' ? { finishedAt: new Date(now).toISOString() } : {}),
      at: now,
    });
    for (const [runId, run] of runs) {
      if (runs.size <= MAX_PER_PROJECT && now - run.at <= KEEP_MS) break;
      runs.delete(runId);
    }
  }

  /**
   * The stored list with what the events told since: newer states replace, unseen runs take their
   * place by their start (a run uploaded late, started hours ago, is not shown as the newest).
   * With nothing heard that the list shows or could show, the stored list itself (the same object).
   */
  overlay(data: RecentRunsData, config: NormalConfig, now = Date.now()): RecentRunsData {
    const byId = new Map(data.runs.map((run) => [`${run.project}\n${run.runId}`, run]));
    // A full list shows no run that started before its last one: only runs it holds, or newer, count
    // (after a flood of runs, hundreds were heard in the last minute).
    const oldest = data.runs.length >= config.limit ? data.runs[data.runs.length - 1].startedAt : '';
    const liveRuns = config.projects.flatMap((project) =>
      [...(this.projects.get(project)?.values() ?? [])].filter(
        (run) =>
          now - run.at <= (run.finishedAt ? KEEP_FINISHED_MS : KEEP_MS) &&
          (!config.branch || run.branch === config.branch) &&
          (run.startedAt >= oldest || byId.has(`${run.project}\n${run.runId}`)),
      ),
    );
    if (liveRuns.length === 0) return data;
    for (const live of liveRuns) {
      const key = `${live.project}\n${live.runId}`;
      const stored = byId.get(key);
      byId.set(key, {
        ...(stored ?? { project: live.project, runId: live.runId, startedAt: live.startedAt }),
        ...(live.branch ? { branch: live.branch } : {}),
        status: live.status,
        summary: live.summary,
        ...(live.finishedAt && !stored?.finishedAt ? { finishedAt: live.finishedAt } : {}),
      });
    }
    return { runs: [...byId.values()].sort(newestFirst).slice(0, config.limit) };
  }
}

/** Newest start first, then by runId (ISO times and ids compare as plain strings). */
export function newestFirst(a: RecentRunEntry, b: RecentRunEntry): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}
