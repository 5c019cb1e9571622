/**
 * A 0..100 quality score from four measurements, each mapped to 0..1 by a stated linear formula and
 * weighted in points (docs/analytics.md, "Quality score", has the formulas with worked numbers).
 */

export interface QualityInputs {
  /** Passed / executed (0..1). */
  passRate: number;
  /** Executions that passed only after a failed try / executed (0..1). */
  flakyShare: number;
  /** Slope of the daily failure rate, per day (from linearTrend); > 0 is getting worse. */
  failureTrendSlope: number;
  /** Coefficient of variation (standard deviation / mean) of the daily mean duration. */
  durationCv: number;
}

export type QualityComponentName = 'passRate' | 'flakyShare' | 'failureTrend' | 'durationStability';

export interface QualityOptions {
  /** Points of each component; they must add up to 100. */
  weights: Readonly<Record<QualityComponentName, number>>;
  /** Pass rate earning nothing; 100 % earns everything, linear in between. */
  passRateFloor: number;
  /** Flaky share earning nothing; 0 % earns everything. */
  flakyShareCeiling: number;
  /** Failure-rate growth per day earning nothing; a flat or falling failure rate earns everything. */
  failureSlopeCeiling: number;
  /** Duration coefficient of variation earning nothing; 0 earns everything. */
  durationCvCeiling: number;
}

export const DEFAULT_QUALITY_OPTIONS: Readonly<QualityOptions> = Object.freeze({
  weights: Object.freeze({ passRate: 50, flakyShare: 20, failureTrend: 15, durationStability: 15 }),
  passRateFloor: 0.8,
  flakyShareCeiling: 0.05,
  failureSlopeCeiling: 0.01,
  durationCvCeiling: 0.5,
});

export interface QualityComponent {
  name: QualityComponentName;
  /** The measured value, as given. */
  value: number;
  weight: number;
  /** weight × the value mapped to 0..1. */
  points: number;
  explanation: string;
}

export interface QualityScore {
  /** Sum of the components' points, 0..100. */
  score: number;
  components: QualityComponent[];
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const pct = (value: number, digits = 1) => `${(value * 100).toFixed(digits)} %`;

export function qualityScore(inputs: QualityInputs, options: Partial<QualityOptions> = {}): QualityScore {
  const o: QualityOptions = { ...DEFAULT_QUALITY_OPTIONS, ...options };
  const { passRate, flakyShare, failureTrendSlope, durationCv } = inputs;
  const inRange = (name: string, value: number, ok: boolean) => {
    if (!Number.isFinite(value) || !ok)
      throw new RangeError(`qualityScore: ${name} is out of range: ${value}`);
  };
  inRange('passRate', passRate, passRate >= 0 && passRate <= 1);
  inRange('flakyShare', flakyShare, flakyShare >= 0 && flakyShare <= 1);
  inRange('failureTrendSlope', failureTrendSlope, true);
  inRange('durationCv', durationCv, durationCv >= 0);
  const total = Object.values(o.weights).reduce((sum, w) => sum + w, 0);
  if (Object.values(o.weights).some((w) => !(w >= 0)) || Math.abs(total - 100) > 1e-9)
    throw new RangeError(`qualityScore: weights must be >= 0 and add up to 100, got ${total}`);
  if (!(
    o.passRateFloor < 1 &&
    o.flakyShareCeiling > 0 &&
    o.failureSlopeCeiling > 0 &&
    o.durationCvCeiling > 0
  ))
    throw new RangeError('qualityScore: need passRateFloor < 1 and positive ceilings');

  const parts: Array<[QualityComponentName, number, number, string]> = [
    [
      'passRate',
      passRate,
      clamp01((passRate - o.passRateFloor) / (1 - o.passRateFloor)),
      `pass rate ${pct(passRate)}: full points at 100 %, none at ${pct(o.passRateFloor, 0)} or below`,
    ],
    [
      'flakyShare',
      flakyShare,
      clamp01(1 - flakyShare / o.flakyShareCeiling),
      `${pct(flakyShare, 2)} of executions passed only on a retry: full points at 0, none at ${pct(o.flakyShareCeiling, 0)} or more`,
    ],
    [
      'failureTrend',
      failureTrendSlope,
      clamp01(1 - Math.max(0, failureTrendSlope) / o.failureSlopeCeiling),
      `failure rate ${failureTrendSlope > 0 ? 'rising' : 'not rising'} (${(failureTrendSlope * 100).toFixed(2)} points a day): full points when flat or falling, none at +${(o.failureSlopeCeiling * 100).toFixed(2)} a day`,
    ],
    [
      'durationStability',
      durationCv,
      clamp01(1 - durationCv / o.durationCvCeiling),
      `daily mean duration varies by ${pct(durationCv, 0)} (coefficient of variation): full points at 0, none at ${pct(o.durationCvCeiling, 0)} or more`,
    ],
  ];
  const components = parts.map(([name, value, mapped, explanation]) => ({
    name,
    value,
    weight: o.weights[name],
    points: o.weights[name] * mapped,
    explanation,
  }));
  return { score: components.reduce((sum, c) => sum + c.points, 0), components };
}
