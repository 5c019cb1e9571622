import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The days of a month on which a project has finished runs (`$addToSet` at each run's rollup, before
 * its buckets). A window's reads then look up only the days that have data: one or two calendar
 * lookups for a 30-day window instead of a lookup per day, which FerretDB charges about a millisecond
 * each even when it finds nothing.
 */
@Schema({ collection: 'project_calendar', versionKey: false })
export class ProjectMonth {
  /** `project|YYYY-MM`. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) month: string;
  @Prop({ type: [String], required: true }) days: string[];
  /**
   * Listed days whose raw results retention has deleted; a run rolled up on such a day again (a late
   * upload) takes its day out, so that retention looks at it again.
   */
  @Prop({ type: [String], default: undefined }) purged?: string[];
}

export const ProjectMonthSchema = SchemaFactory.createForClass(ProjectMonth);

export const projectMonthId = (project: string, month: string): string => `${project}|${month}`;

/**
 * Marks that every day rolled up before the calendar existed has been added to it (by the backfill at
 * start-up); until one exists, reads look up every day of a window.
 */
@Schema({ collection: 'project_calendar_marks', versionKey: false })
export class CalendarMark {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) completedAt: Date;
}

export const CalendarMarkSchema = SchemaFactory.createForClass(CalendarMark);

/** The `_id` of the mark that the calendar lists every day with runs. */
export const CALENDAR_COMPLETE = 'complete';

/** The months (YYYY-MM) that the days `from`..`to` (YYYY-MM-DD) touch, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (current > last) break;
    months.push(current);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}
