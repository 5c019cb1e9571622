import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataVersions } from '@testpulse/cache';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { SharedReads } from '../storage/shared-reads';
import { MetricSnapshot } from './schemas/metric-snapshot.schema';
import {
  CALENDAR_COMPLETE,
  CalendarMark,
  ProjectMonth,
  monthsBetween,
  projectMonthId,
} from './schemas/project-calendar.schema';

/** The version of a project's month in the calendar (DataVersions): bumped when a day is listed. */
export const monthVersion = (project: string, month: string): string => `month:${project}:${month}`;

/**
 * Which days a project has runs on (`project_calendar`), so that a window's reads look up those days
 * only. A run's day is listed before its buckets are written, so a day with a bucket is always listed
 * once the calendar is complete: at start-up, days rolled up before the calendar existed are added
 * from the project buckets (one scan, once per database), then a mark says so. Without the mark, reads
 * take every day of the window, as they did before.
 */
@Injectable()
export class CalendarRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger(CalendarRepository.name);
  /** The mark was seen: the calendar stays complete from then on. */
  private complete = false;
  private readonly monthReads = new SharedReads<Set<string>>();
  /** Days listed in a project's month, under the month's version (see DataVersions): read once per change. */
  private readonly listedDays = new LRUCache<string, Set<string>>({ max: 20_000 });

  constructor(
    @InjectModel(ProjectMonth.name) private readonly months: Model<ProjectMonth>,
    @InjectModel(CalendarMark.name) private readonly marks: Model<CalendarMark>,
    @InjectModel(MetricSnapshot.name) private readonly snapshots: Model<MetricSnapshot>,
    private readonly versions: DataVersions,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: reads work (looking up every day) until it is done.
    void this.backfill().catch((error) =>
      this.logger.error({ err: error }, 'calendar backfill failed; it is tried again at the next start'),
    );
  }

  /** Lists a day of the project (idempotent). */
  async add(project: string, day: string): Promise<void> {
    const month = day.slice(0, 7);
    const _id = projectMonthId(project, month);
    let changed = (await insertNew(this.months, [{ _id, project, month, days: [day] }])).length > 0;
    if (!changed) {
      const { modifiedCount } = await this.months.collection.updateOne(
        { _id } as never,
        {
          $addToSet: { days: day },
          $pull: { purged: day },
        } as never,
      );
      changed = modifiedCount > 0;
    }
    // A day listed already changes nothing: the copies of the month read since stay right.
    if (changed) await this.versions.bump(monthVersion(project, month));
  }

  /**
   * The listed days before `day` whose raw results retention has not deleted yet, or `undefined`
   * while the calendar is not complete (then any day may hold some). Reads the project's months (a
   * scan of the calendar, which holds one small document per project and month).
   */
  async unpurgedBefore(project: string, day: string): Promise<string[] | undefined> {
    if (!(await this.isComplete())) return undefined;
    const months = await this.months.find({ project }, { days: 1, purged: 1 }).lean<ProjectMonth[]>().exec();
    return months.flatMap((month) => {
      const purged = new Set(month.purged ?? []);
      return month.days.filter((listed) => listed < day && !purged.has(listed));
    });
  }

  /** Records that retention deleted the raw results of these days of the project. */
  async markPurged(project: string, days: readonly string[]): Promise<void> {
    const byMonth = new Map<string, string[]>();
    for (const day of days) byMonth.set(day.slice(0, 7), [...(byMonth.get(day.slice(0, 7)) ?? []), day]);
    for (const [month, list] of byMonth)
      await this.months.collection.updateOne({ _id: projectMonthId(project, month) } as never, {
        $addToSet: { purged: { $each: list } },
      });
  }

  /**
   * Those of `days` (consecutive, in order) on which the project may have runs: all of them until the
   * calendar is complete.
   */
  async withRuns(project: string, days: readonly string[]): Promise<string[]> {
    if (days.length === 0 || !(await this.isComplete())) return [...days];
    const months = monthsBetween(days[0], days[days.length - 1]);
    const versions = await this.versions.current(months.map((month) => monthVersion(project, month)));
    const keys = versions && months.map((month, i) => `${project}|${month}|${versions[i]}`);
    const held = keys?.map((key) => this.listedDays.get(key));
    if (held?.every((set) => set !== undefined))
      return days.filter((day) => held.some((set) => set?.has(day)));
    // Shared only by reads of the same versions: a read begun before a bump must not be kept after it.
    const shared = JSON.stringify([project, ...months, ...(versions ?? ['-'])]);
    const listed = await this.monthReads.read(shared, async () => {
      const docs = await findByIds(
        this.months,
        months.map((month) => projectMonthId(project, month)),
        { _id: 1, days: 1 },
      );
      return new Set(docs.flatMap((doc) => doc?.days ?? []));
    });
    // Kept per month under the version read before the read (a later listing bumps it).
    keys?.forEach((key, i) =>
      this.listedDays.set(key, new Set([...listed].filter((day) => day.startsWith(months[i])))),
    );
    return days.filter((day) => listed.has(day));
  }

  /**
   * Lists every day that has a project bucket, then marks the calendar complete. Runs rolled up during
   * the scan list their days themselves. Returns how many project-days the scan found.
   */
  async backfill(): Promise<number> {
    if (await this.isComplete()) return 0;
    const byMonth = new Map<string, { project: string; month: string; days: Set<string> }>();
    const cursor = this.snapshots.collection.find(
      { scope: 'project' },
      { projection: { _id: 0, project: 1, day: 1 } },
    );
    let found = 0;
    for await (const doc of cursor) {
      const { project, day } = doc as unknown as { project: string; day: string };
      const month = day.slice(0, 7);
      const id = projectMonthId(project, month);
      const entry = byMonth.get(id) ?? { project, month, days: new Set<string>() };
      entry.days.add(day);
      byMonth.set(id, entry);
      found += 1;
    }
    for (const [_id, { project, month, days }] of byMonth) {
      await insertNew(this.months, [{ _id, project, month, days: [] }]);
      await this.months.collection.updateOne({ _id } as never, { $addToSet: { days: { $each: [...days] } } });
      await this.versions.bump(monthVersion(project, month));
    }
    await insertNew(this.marks, [{ _id: CALENDAR_COMPLETE, completedAt: new Date() }]);
    this.complete = true;
    if (found > 0) this.logger.log({ projectDays: found, months: byMonth.size }, 'calendar backfilled');
    return found;
  }

  private async isComplete(): Promise<boolean> {
    if (!this.complete) this.complete = (await findByIds(this.marks, [CALENDAR_COMPLETE]))[0] !== null;
    return this.complete;
  }
}
