import {
  REPORT_TEMPLATES,
  ReportFilterDto,
  ReportTemplateId,
  ReportTemplateView,
} from '@testpulse/contracts';
import { RpcException } from '@nestjs/microservices';
import { analyticsWindowNote, daySpan, resolveFilter } from './report-filter';

const NOW = new Date('2025-03-10T15:00:00Z');
const template = (id: ReportTemplateId): ReportTemplateView =>
  REPORT_TEMPLATES.find((t) => t.id === id) as ReportTemplateView;

/** The RPC error a call throws, as {code, message}. */
function refusal(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(RpcException);
    return (error as RpcException).getError() as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

const resolve = (id: ReportTemplateId, filter: Partial<ReportFilterDto>) =>
  resolveFilter(template(id), { projects: ['checkout'], ...filter } as ReportFilterDto, NOW);

describe('resolveFilter', () => {
  it('defaults to the last 30 days up to today', () => {
    const resolved = resolve('trends', {});
    expect(resolved.window).toEqual({ from: '2025-02-09', to: '2025-03-10' });
    expect(resolved.analyticsDays).toBe(30);
    expect(resolved.today).toBe('2025-03-10');
    expect(analyticsWindowNote(resolved)).toBeUndefined();
  });

  it('takes the last `days` days, or from/to, and widens the analytics window to today', () => {
    expect(resolve('trends', { days: 7 }).window).toEqual({ from: '2025-03-04', to: '2025-03-10' });
    const past = resolve('trends', { from: '2025-02-01', to: '2025-02-10' });
    expect(past.window).toEqual({ from: '2025-02-01', to: '2025-02-10' });
    expect(past.analyticsDays).toBe(daySpan('2025-02-01', '2025-03-10'));
    expect(past.analyticsDays).toBe(38);
    expect(analyticsWindowNote(past)).toMatch(/2025-02-01\.\.2025-03-10.*cut to 2025-02-01\.\.2025-02-10/);
    expect(resolve('trends', { to: '2025-02-28' }).window).toEqual({ from: '2025-01-30', to: '2025-02-28' });
    expect(resolve('trends', { from: '2025-03-01', to: '2025-04-01' }).window).toEqual({
      from: '2025-03-01',
      to: '2025-03-10',
    });
  });

  it('refuses bad windows naming the field', () => {
    expect(refusal(() => resolve('trends', { from: '2025-03-05', to: '2025-03-01' }))).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'filter.from (2025-03-05) is after filter.to (2025-03-01)',
    });
    expect(refusal(() => resolve('trends', { days: 7, from: '2025-03-01' })).message).toBe(
      'filter.days cannot be combined with filter.from or filter.to',
    );
    expect(refusal(() => resolve('trends', { from: '2025-02-30' })).message).toBe(
      'filter.from is not a calendar day: 2025-02-30',
    );
    expect(refusal(() => resolve('trends', { from: '2025-03-11' })).message).toMatch(
      /^filter\.from .* in the future/,
    );
    expect(refusal(() => resolve('trends', { from: '2024-01-01' })).message).toMatch(
      /^filter\.from \(2024-01-01\) is 435 days back; reports reach back at most 365 days/,
    );
  });

  it('refuses fields the template does not read, and missing required ones', () => {
    expect(refusal(() => resolve('trends', { tags: ['smoke'] })).message).toBe(
      "filter.tags does not apply to template 'trends' (it reads projects, suites, from, to, days)",
    );
    expect(refusal(() => resolve('run-comparison', { runA: 'r1' })).message).toBe(
      "filter.runB is required by template 'run-comparison'",
    );
    expect(refusal(() => resolve('run-comparison', { runA: 'r1', runB: 'r1' })).message).toBe(
      'filter.runB must be another run than filter.runA',
    );
    expect(
      refusal(() => resolve('run-comparison', { projects: ['checkout', 'search'], runA: 'r1', runB: 'r2' }))
        .message,
    ).toBe("filter.projects: template 'run-comparison' covers exactly one project");
  });

  it('keeps each project once and reads no window for a run comparison', () => {
    const comparison = resolve('run-comparison', { runA: 'r1', runB: 'r2' });
    expect(comparison.window).toBeUndefined();
    expect(comparison.projects).toEqual(['checkout']);
    expect(resolve('executive-summary', { projects: ['checkout', 'search', 'checkout'] }).projects).toEqual([
      'checkout',
      'search',
    ]);
  });
});
