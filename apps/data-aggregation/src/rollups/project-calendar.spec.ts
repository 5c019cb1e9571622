import { monthsBetween } from './schemas/project-calendar.schema';

describe('monthsBetween', () => {
  it('lists the months two days touch, across a year end', () => {
    expect(monthsBetween('2026-11-03', '2026-11-28')).toEqual(['2026-11']);
    expect(monthsBetween('2026-10-30', '2026-11-28')).toEqual(['2026-10', '2026-11']);
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('is empty when the first day is after the last', () => {
    expect(monthsBetween('2026-12-01', '2026-11-30')).toEqual([]);
  });
});
