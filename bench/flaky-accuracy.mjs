// Accuracy of the flaky-test classifier (npm run bench:flaky-accuracy): generates the labelled demo
// history (libs/demo-data: every test's behaviour is known), builds each test's executions the way
// analytics-engine does from stored runs, classifies every test with classifyFlakiness of
// @testpulse/analytics and prints precision and recall of `flaky` and `broken` against the labels, the
// confusion counts and the thresholds used. It needs the build (node scripts/build.mjs); no servers.
//
// Environment: BENCH_SEED (1), BENCH_DAYS (28), BENCH_SCALE (1), BENCH_END_DATE (2026-11-27T23:59:59Z:
// a fixed end keeps the figures reproducible), BENCH_MIN_EXECUTIONS (20: tests judged), BENCH_FLAKY_OPTIONS
// (JSON overriding classifier options, e.g. '{"alpha":0.02}'), BENCH_VERBOSE=1 (list the misclassified).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = (...parts) => join(root, 'dist', ...parts);
const modules = {
  demo: dist('libs', 'demo-data', 'src', 'index.js'),
  domain: dist('libs', 'domain', 'src', 'index.js'),
  analytics: dist('libs', 'analytics', 'src', 'index.js'),
};
for (const file of Object.values(modules)) {
  if (!existsSync(file)) {
    console.error(
      `bench:flaky-accuracy: ${relative(root, file)} is missing: run node scripts/build.mjs first`,
    );
    process.exit(1);
  }
}
const { generateHistory, TEST_LABELS } = require(modules.demo);
const { testId, isFlaky } = require(modules.domain);
const { classifyFlakiness, DEFAULT_FLAKINESS_OPTIONS } = require(modules.analytics);

const log = (line) => console.log(`bench:flaky-accuracy: ${line}`);
function setting(name, fallback, parse = Number) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = parse(text);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    console.error(`bench:flaky-accuracy: ${name} must be a number, got '${text}'`);
    process.exit(1);
  }
  return value;
}

const SEED = setting('BENCH_SEED', 1, (t) => (/^\d+$/.test(t) ? Number(t) : t));
const DAYS = setting('BENCH_DAYS', 28);
const SCALE = setting('BENCH_SCALE', 1);
const END_DATE = setting('BENCH_END_DATE', '2026-11-27T23:59:59Z', String);
const MIN_EXECUTIONS = setting('BENCH_MIN_EXECUTIONS', 20);
const OPTIONS = setting('BENCH_FLAKY_OPTIONS', {}, JSON.parse);
/** The last runs of a broken test that must all come after its breakage for the label to count. */
const BROKEN_RUNS = OPTIONS.brokenRuns ?? DEFAULT_FLAKINESS_OPTIONS.brokenRuns;
const TARGET = { precision: 0.95, recall: 0.9 };

// --- the history, as analytics-engine sees it ---------------------------------------------------------

const started = Date.now();
const history = generateHistory({ seed: SEED, days: DAYS, scale: SCALE, endDate: END_DATE });
const truth = new Map(history.tests.map((t) => [t.testId, t]));
/** testId → executions, oldest first (runs come in time order). */
const executions = new Map();
let runs = 0;
let total = 0;
for (const run of history.runs()) {
  runs += 1;
  // The run's failing share: failed or errored over the results that ran (skipped ones did not, and
  // counting them would hide an outage in a run with many skipped tests).
  const failing = run.results.filter((r) => r.status === 'failed' || r.status === 'errored').length;
  const ran = run.results.filter((r) => r.status !== 'skipped').length;
  const runFailingShare = ran > 0 ? failing / ran : 0;
  for (const result of run.results) {
    const id = testId(run.project, result.suite, result.name, result.file);
    let list = executions.get(id);
    if (!list) executions.set(id, (list = []));
    list.push({
      runId: run.runId,
      at: run.startedAt,
      commit: run.commit,
      branch: run.branch,
      status: result.status,
      // Passed after a failed or errored try, or flaky by the report's own say (CTRF).
      retriedPass: isFlaky(result),
      attempts: result.attempts?.length ?? 0,
      runFailingShare,
    });
    total += 1;
  }
}

// --- classify and compare -----------------------------------------------------------------------------

const CLASSES = ['flaky', 'broken', 'stable', 'insufficient-data'];
const confusion = new Map(
  TEST_LABELS.map((label) => [label, Object.fromEntries(CLASSES.map((c) => [c, 0]))]),
);
const counts = { flaky: { tp: 0, fp: 0, fn: 0, tn: 0 }, broken: { tp: 0, fp: 0, fn: 0, tn: 0 } };
const misclassified = [];
let judged = 0;
let thresholds;
const classifyStarted = process.hrtime.bigint();
for (const [id, list] of executions) {
  const ran = list.filter((e) => e.status !== 'skipped');
  if (ran.length < MIN_EXECUTIONS) continue;
  judged += 1;
  const test = truth.get(id);
  const verdict = classifyFlakiness(list, OPTIONS);
  thresholds ??= verdict.evidence;
  confusion.get(test.label)[verdict.classification] += 1;
  const lastRuns = ran.slice(-BROKEN_RUNS);
  const expected = {
    flaky: test.label === 'flaky',
    broken:
      test.label === 'broken' &&
      lastRuns.length === BROKEN_RUNS &&
      Date.parse(test.brokenAt) <= Date.parse(lastRuns[0].at),
  };
  for (const kind of ['flaky', 'broken']) {
    const said = verdict.classification === kind;
    const c = counts[kind];
    if (said && expected[kind]) c.tp += 1;
    else if (said) c.fp += 1;
    else if (expected[kind]) c.fn += 1;
    else c.tn += 1;
    if (said !== expected[kind]) misclassified.push({ kind, said, test, verdict });
  }
}
const classifyMs = Number(process.hrtime.bigint() - classifyStarted) / 1e6;

// --- figures ------------------------------------------------------------------------------------------

const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : 'n/a');
log(
  `history: seed ${SEED}, ${DAYS} days to ${history.end.slice(0, 10)}, scale ${SCALE}: ${runs} runs, ` +
    `${history.tests.length} tests, ${total.toLocaleString('en-US')} executions ` +
    `(generated and grouped in ${Date.now() - started} ms)`,
);
log(
  `tests judged (>= ${MIN_EXECUTIONS} non-skipped executions): ${judged}, classified in ${classifyMs.toFixed(0)} ms`,
);
for (const kind of ['flaky', 'broken']) {
  const { tp, fp, fn, tn } = counts[kind];
  log(`${kind} precision: ${ratio(tp, tp + fp)} (${tp} of ${tp + fp} classified ${kind} are labelled so)`);
  log(`${kind} recall: ${ratio(tp, tp + fn)} (${tp} of ${tp + fn} labelled ${kind} found)`);
  log(`${kind} confusion: tp ${tp}, fp ${fp}, fn ${fn}, tn ${tn}`);
}
for (const [label, row] of confusion) {
  if (Object.values(row).every((n) => n === 0)) continue;
  log(`label ${label} → ${CLASSES.map((c) => `${c} ${row[c]}`).join(', ')}`);
}
if (thresholds) {
  const used = ['alpha', 'flagThreshold', 'clearThreshold', 'outageShare', 'minRuns', 'brokenRuns'];
  const weights = { ...DEFAULT_FLAKINESS_OPTIONS, ...OPTIONS };
  log(`thresholds: ${used.map((k) => `${k} ${thresholds[k]}`).join(', ')}`);
  log(
    `evidence weights: retryPassWeight ${weights.retryPassWeight}, sameCommitWeight ${weights.sameCommitWeight} ` +
      `(within ${weights.sameCommitWindowHours} h), oscillationWeight ${weights.oscillationWeight}`,
  );
}
const flaky = counts.flaky;
const precision = flaky.tp / Math.max(1, flaky.tp + flaky.fp);
const recall = flaky.tp / Math.max(1, flaky.tp + flaky.fn);
const met = precision >= TARGET.precision && recall >= TARGET.recall;
log(
  `target flaky precision >= ${TARGET.precision} and recall >= ${TARGET.recall}: ${met ? 'met' : 'NOT met'}`,
);
if (process.env.BENCH_VERBOSE === '1') {
  for (const { kind, said, test, verdict } of misclassified) {
    const e = verdict.evidence;
    log(
      `${said ? 'false' : 'missed'} ${kind}: ${test.project} ${test.suite} › ${test.name} [${test.label}` +
        `${test.failRate !== undefined ? ` failRate ${test.failRate}` : ''}, retries ${test.retries}] → ` +
        `${verdict.classification} score ${verdict.score.toFixed(4)} runs ${e.runs} failures ${e.failures} ` +
        `retryPasses ${e.retryPasses} sameCommit ${e.sameCommitDisagreements}/${e.sameCommitDisagreementsScored} ` +
        `flips ${e.flips} oscillations ${e.oscillations} trailingFailures ${e.trailingFailures}`,
    );
  }
}
