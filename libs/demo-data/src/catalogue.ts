/**
 * The test catalogue of a demo project: suites, tests, files, and per test the behaviour that the
 * history follows (its label is the ground truth for accuracy benchmarks of the analytics).
 */
import { testId } from '@testpulse/domain';
import { Area, Language, ProjectProfile, TestKind } from './profiles';
import { Rng } from './random';

export const TEST_LABELS = ['stable', 'flaky', 'broken', 'fixed', 'slow', 'regressing', 'skipped'] as const;
/**
 * - `stable`: always passes (except in infrastructure-outage runs, which fail nearly every test);
 * - `flaky`: each try fails at `failRate` (2–30 %), often passing on a retry inside the run;
 * - `broken`: passes until `brokenAt`, then fails every run;
 * - `fixed`: fails every run until `fixedAt`, then passes;
 * - `slow`: passes, with long durations (tens of seconds to minutes);
 * - `regressing`: passes, its durations grow `regressionFactor`-fold from `regressionAt`;
 * - `skipped`: always skipped (disabled).
 */
export type TestLabel = (typeof TEST_LABELS)[number];

const LABEL_WEIGHTS: ReadonlyArray<readonly [TestLabel, number]> = [
  ['stable', 0.745],
  ['flaky', 0.08],
  ['slow', 0.045],
  ['regressing', 0.03],
  ['broken', 0.025],
  ['fixed', 0.025],
  ['skipped', 0.05],
];

/** What a test is and how it behaves: the ground truth the history is generated from. */
export interface DemoTest {
  /** `testId(project, suite, name, file)` of @testpulse/domain: the id the platform stores. */
  testId: string;
  project: string;
  suite: string;
  name: string;
  file: string;
  kind: TestKind;
  tags: string[];
  label: TestLabel;
  /** Median duration in ms (before any regression). */
  medianMs: number;
  /** Retries the runner allows after a failed try. */
  retries: number;
  /** Run on feature branches too (unit and integration tests always are). */
  smoke: boolean;
  /** `flaky`: probability that one try fails. */
  failRate?: number;
  /** `broken`: ISO time from which every run fails. */
  brokenAt?: string;
  /** `fixed`: ISO time from which the test passes again (it failed every run before). */
  fixedAt?: string;
  /** `regressing`: ISO time from which durations grow, reaching `regressionFactor` after the ramp. */
  regressionAt?: string;
  regressionFactor?: number;
}

/** Internal model: the public ground truth plus what messages and timings are generated from. */
export interface TestModel extends DemoTest {
  language: Language;
  area: Area;
  subject: string;
  /** The code under test (class or page object) and the test function, as they appear in stacks. */
  subjectClass: string;
  method: string;
  /** Line of the test in its file. */
  line: number;
  /** UI element the test waits for (selector or Android view id). */
  element: string;
  /** Log-space spread of the duration. */
  sigma: number;
  brokenAtMs?: number;
  fixedAtMs?: number;
  regressionAtMs?: number;
  regressionRampMs?: number;
  /** Error clusters this test fails with (chosen in errors.ts). */
  flakyCluster?: string;
  brokenCluster?: string;
}

// --- vocabularies ----------------------------------------------------------------------------------------

const PARAMS: Record<string, readonly string[]> = {
  country: ['DE', 'FR', 'NL', 'IT', 'ES', 'AT', 'BE', 'PL', 'SE', 'US', 'GB', 'CH'],
  thing: ['SKU', 'postcode', 'coupon', 'email', 'locale', 'currency', 'gift card'],
  flag: ['new-pricing', 'one-page-checkout', 'smart-search', 'klarna-widget'],
  format: ['CSV', 'JSON', 'query-string'],
  field: ['price', 'rating', 'newest', 'relevance'],
  currency: ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'PLN'],
  viewport: ['mobile', 'tablet', 'desktop'],
  locale: ['de-DE', 'fr-FR', 'nl-NL', 'en-GB', 'it-IT'],
  pct: ['5', '10', '15', '20', '25'],
  n: ['1', '2', '3', '4', '5', '6'],
  minutes: ['5', '10', '30'],
  scale: ['130', '150', '200'],
};

const TS_E2E = [
  'shows the {subject}',
  'hides the {subject} for signed-out visitors',
  'is keyboard accessible',
  'renders on {viewport}',
  'keeps state after a reload',
  'works for a guest',
  'works for a signed-in customer',
  'shows validation errors for empty fields',
  'recovers after a network error',
  'tracks the analytics event',
  'matches the visual snapshot on {viewport}',
  'handles the {locale} locale',
  'applies a {pct}% voucher',
  'updates the total when the quantity changes',
  'redirects to sign-in when the session expires',
  'shows a spinner while loading',
  'closes with Escape',
  'supports deep links',
  'shows prices in {currency}',
  'announces changes to screen readers',
  'disables submit while the request is pending',
  'shows an error toast when the API fails',
  'lazy-loads images below the fold',
  'survives a double click on submit',
];
const TS_UNIT = [
  'returns an empty result for empty input',
  'rounds amounts half-even to two decimals',
  'rejects a negative quantity',
  'caches the last result',
  'calculates VAT for {country}',
  'throws on an unknown {thing}',
  'is idempotent',
  'merges duplicate lines',
  'respects the {flag} feature flag',
  'serialises to JSON and back',
  'parses {format} input',
  'sorts by {field}',
  'ignores unknown fields',
  'handles a missing {thing}',
  'formats {currency} amounts',
  'retries once on a 503',
  'emits a change event',
  'resets to the initial state',
  'debounces rapid updates',
  'validates the {thing} format',
  'keeps insertion order',
  'treats {country} postcodes correctly',
  'returns a copy, not a reference',
];
const TS_UNIT_CLASSES = [
  'Service',
  'Store',
  'Calculator',
  'Validator',
  'Mapper',
  'Client',
  'Reducer',
  'Formatter',
  'Parser',
  'Policy',
  'Selectors',
  'Hooks',
];
const JAVA_METHODS = [
  'rejectsNegativeAmount()',
  'roundsHalfEvenToMinorUnits()',
  'isIdempotentForSameKey()',
  'publishesEventOnSuccess()',
  'returns404ForUnknownId()',
  'handlesConcurrentUpdates()',
  'convertsAmount(String, String)[{n}]',
  'retriesOnTransientFailure()',
  'mapsAllFields()',
  'validatesIban(String)[{n}]',
  'rejectsExpiredCard()',
  'appliesFeeSchedule(Currency)[{n}]',
  'persistsAuditTrail()',
  'signsWebhookPayload()',
  'rejectsDuplicateReference()',
  'settlesInMerchantCurrency()',
  'honoursIdempotencyKeyHeader()',
  'returns409OnVersionConflict()',
  'paginatesResults()',
  'masksPanInLogs()',
  'computesBalanceAfterReversal()',
  'rejectsAmountAboveLimit()',
  'emitsMetrics()',
  'timesOutAfterConfiguredDeadline()',
  'acceptsAmountIn{currency}()',
];
const JAVA_UNIT_SUFFIXES = ['Service', 'Validator', 'Mapper', 'Calculator', 'Policy', 'Factory'];
const JAVA_IT_SUFFIXES = ['Controller', 'Repository', 'Client', 'Flow'];
const KOTLIN_METHODS = [
  'givenValidInput_whenSubmit_thenShowsSuccess',
  'givenNoNetwork_whenOpen_thenShowsOfflineBanner',
  'emptyState_isShown_whenNoItems',
  'rotation_keepsScrollPosition',
  'darkMode_rendersCorrectly',
  'backPress_returnsToPreviousScreen',
  'deepLink_opensScreen',
  'loadingState_isShownWhileFetching',
  'error_isShown_whenApiFails',
  'retryButton_reloadsData',
  'talkBack_readsContentDescription',
  'fontScale{scale}_layoutDoesNotClip',
  'locale_{locale}_showsTranslatedTitle',
  'swipeToRefresh_updatesList',
  'processDeath_restoresState',
  'mapsDtoToDomain',
  'emitsLoadingThenContent',
  'cachesResponseFor{minutes}Minutes',
  'refreshToken_isUsed_whenExpired',
  'ignoresDuplicateEvents',
];
const KOTLIN_UNIT_SUFFIXES = ['ViewModel', 'Repository', 'UseCase', 'Mapper'];
const KOTLIN_E2E_SUFFIXES = ['Screen', 'Flow'];
const SUITE_VARIANTS: Record<Language, readonly string[]> = {
  typescript: ['mobile', 'tablet', 'logged in', 'guest', 'legacy', 'experiment', 'v2', 'edge cases'],
  java: ['Extended', 'Legacy', 'V2', 'EdgeCase', 'Contract', 'Regression', 'Parameterized', 'Batch'],
  kotlin: ['Tablet', 'Landscape', 'Legacy', 'V2', 'EdgeCase', 'Offline', 'Accessibility', 'Compose'],
};
const TS_ELEMENTS = ['button', 'submit', 'continue', 'total', 'form', 'dialog', 'summary'];
const KT_ELEMENTS = ['button', 'title', 'list', 'badge', 'submit', 'progress'];

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const kebab = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
const camel = (text: string) => {
  const p = pascal(text);
  return p[0].toLowerCase() + p.slice(1);
};

function fill(template: string, rng: Rng, subject: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) =>
    key === 'subject' ? subject : rng.pick(PARAMS[key] ?? ['x']),
  );
}

interface SuiteShape {
  suite: string;
  file: string;
  kind: TestKind;
  area: Area;
  subject: string;
  subjectClass: string;
  /** Test-name templates. */
  names: readonly string[];
  /** Makes a test's function name (for stack frames) from its name. */
  method: (name: string) => string;
}

function suiteShape(language: Language, kind: TestKind, area: Area, subject: string, rng: Rng): SuiteShape {
  switch (language) {
    case 'typescript':
      if (kind === 'e2e') {
        return {
          suite: `${area.title} › ${subject}`,
          file: `tests/e2e/${area.key}/${kebab(subject)}.spec.ts`,
          kind,
          area,
          subject,
          subjectClass: `${pascal(area.key)}Page`,
          names: TS_E2E,
          method: () => '<anonymous>',
        };
      } else {
        const cls = `${pascal(area.key)}${rng.pick(TS_UNIT_CLASSES)}`;
        return {
          suite: cls,
          file: `src/${area.key}/${kebab(cls)}.spec.ts`,
          kind,
          area,
          subject,
          subjectClass: cls,
          names: TS_UNIT,
          method: () => 'Object.<anonymous>',
        };
      }
    case 'java': {
      const suffix = rng.pick(kind === 'unit' ? JAVA_UNIT_SUFFIXES : JAVA_IT_SUFFIXES);
      const cls = `${subject}${suffix}${kind === 'unit' ? 'Test' : 'IT'}`;
      const pkg = `com.acme.payments.${area.key}`;
      return {
        suite: `${pkg}.${cls}`,
        file: `src/test/java/${pkg.replace(/\./g, '/')}/${cls}.java`,
        kind,
        area,
        subject,
        subjectClass: `${pkg}.${subject}${suffix}`,
        names: JAVA_METHODS,
        method: (name) => name.replace(/\(.*$/, ''),
      };
    }
    case 'kotlin': {
      const suffix = rng.pick(kind === 'unit' ? KOTLIN_UNIT_SUFFIXES : KOTLIN_E2E_SUFFIXES);
      const cls = `${subject}${suffix}Test`;
      const pkg = `com.acme.shopapp.${area.key}`;
      const sourceSet = kind === 'unit' ? 'test' : 'androidTest';
      return {
        suite: `${pkg}.${cls}`,
        file: `app/src/${sourceSet}/java/${pkg.replace(/\./g, '/')}/${cls}.kt`,
        kind,
        area,
        subject,
        subjectClass: `${pkg}.${subject}${kind === 'unit' ? suffix : 'Fragment'}`,
        names: KOTLIN_METHODS,
        method: (name) => name,
      };
    }
  }
}

function withVariant(shape: SuiteShape, variant: string): SuiteShape {
  const tag = pascal(variant);
  if (shape.suite.includes(' › ')) {
    return {
      ...shape,
      suite: `${shape.suite} (${variant})`,
      file: shape.file.replace(/\.spec\.ts$/, `.${kebab(variant)}.spec.ts`),
    };
  }
  const replaceClass = (s: string) => s.replace(/(Test|IT|\.spec)(\.\w+)?$/, `${tag}$1$2`);
  return {
    ...shape,
    suite: shape.suite.replace(/(Test|IT)?$/, (m) => `${tag}${m}`),
    file: replaceClass(shape.file),
  };
}

function durationMedian(kind: TestKind, label: TestLabel, rng: Rng): number {
  if (label === 'slow') return kind === 'unit' ? rng.float(2_500, 15_000) : rng.float(35_000, 180_000);
  const [median, sigma, min, max] =
    kind === 'unit'
      ? [12, 1.0, 0.5, 900]
      : kind === 'integration'
        ? [650, 0.7, 40, 12_000]
        : [4_200, 0.55, 600, 40_000];
  return Math.min(max, Math.max(min, rng.logNormal(median, sigma)));
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface CatalogueOptions {
  profile: ProjectProfile;
  rng: Rng;
  scale: number;
  /** First and last instant of the history (ms), for the times of breakages, fixes and regressions. */
  startMs: number;
  endMs: number;
}

/** The project's tests in suite order, each with its behaviour. */
export function buildCatalogue({ profile, rng, scale, startMs, endMs }: CatalogueOptions): TestModel[] {
  const target = Math.max(14, Math.round(profile.tests * scale));
  const sizeFactor = Math.max(1, Math.sqrt(scale));
  const tests: TestModel[] = [];
  const usedSuites = new Set<string>();
  const shapeRng = rng.fork('suites');
  for (let s = 0; tests.length < target && s < target * 4; s++) {
    const kind = shapeRng.weighted(profile.kinds);
    const area = shapeRng.pick(profile.areas);
    let shape = suiteShape(profile.language, kind, area, shapeRng.pick(area.subjects), shapeRng);
    for (let v = 0; usedSuites.has(shape.suite) && v < 20; v++) {
      const variants = SUITE_VARIANTS[profile.language];
      const variant = v < variants.length ? variants[v] : `part ${v - variants.length + 2}`;
      const candidate = withVariant(shape, variant);
      if (!usedSuites.has(candidate.suite)) shape = candidate;
    }
    if (usedSuites.has(shape.suite)) continue;
    usedSuites.add(shape.suite);

    const [lo, hi] = kind === 'unit' ? [4, 14] : kind === 'integration' ? [3, 9] : [3, 10];
    const size = Math.min(target - tests.length, Math.round(shapeRng.int(lo, hi) * sizeFactor));
    const names = new Set<string>();
    let line = shapeRng.int(8, 30);
    const element =
      profile.language === 'kotlin'
        ? `${area.key}_${shapeRng.pick(KT_ELEMENTS)}`
        : `#${area.key}-${shapeRng.pick(TS_ELEMENTS)}`;
    for (let t = 0; t < size; t++) {
      let name = fill(shapeRng.pick(shape.names), shapeRng, shape.subject);
      for (let k = 2; names.has(name); k++) {
        name =
          k < 6
            ? fill(shapeRng.pick(shape.names), shapeRng, shape.subject)
            : profile.language === 'typescript'
              ? `${name} (#${k})`
              : `${name.replace(/\(\)$/, '')}_${k}${name.endsWith('()') ? '()' : ''}`;
      }
      names.add(name);
      line += shapeRng.int(6, 40);
      const smoke = kind !== 'e2e' || shapeRng.chance(0.3);
      const tags =
        profile.language === 'typescript'
          ? kind === 'e2e'
            ? [`@${area.key}`, ...(smoke ? ['@smoke'] : [])]
            : []
          : [kind, area.key, ...(kind === 'e2e' && smoke ? ['smoke'] : [])];
      tests.push({
        testId: testId(profile.key, shape.suite, name, shape.file),
        project: profile.key,
        suite: shape.suite,
        name,
        file: shape.file,
        kind,
        tags,
        label: 'stable',
        medianMs: 0,
        retries: profile.retries[kind],
        smoke,
        language: profile.language,
        area,
        subject: shape.subject,
        subjectClass: shape.subjectClass,
        method:
          profile.language === 'kotlin' || profile.language === 'java' ? shape.method(name) : camel(name),
        line,
        element,
        sigma: 0,
      });
    }
  }
  assignBehaviours(tests, rng.fork('behaviours'), startMs, endMs);
  return tests;
}

function assignBehaviours(tests: TestModel[], rng: Rng, startMs: number, endMs: number): void {
  const labels = tests.map(() => rng.weighted(LABEL_WEIGHTS));
  // Every label at least once per project, so that every benchmark has something to find.
  for (const label of TEST_LABELS) {
    if (labels.includes(label)) continue;
    const stable = labels.map((l, i) => (l === 'stable' ? i : -1)).filter((i) => i >= 0);
    if (stable.length > 0) labels[rng.pick(stable)] = label;
  }
  const DAY = 86_400_000;
  const span = Math.max(endMs - startMs, DAY);
  // A moment at `fraction` of the history (± a bit), at working hours.
  const momentAt = (from: number, to: number) => {
    const at = startMs + span * rng.float(from, to);
    const day = Math.floor(at / DAY) * DAY;
    return Math.max(startMs, Math.min(endMs, day + rng.float(8, 18) * 3_600_000));
  };
  tests.forEach((test, i) => {
    const label = labels[i];
    const t = test;
    t.label = label;
    t.medianMs = round(durationMedian(test.kind, label, rng), 2);
    t.sigma = rng.float(0.12, 0.4);
    if (label === 'flaky') {
      t.failRate = round(Math.exp(rng.float(Math.log(0.02), Math.log(0.3))), 4);
    } else if (label === 'broken') {
      t.brokenAtMs = momentAt(0.3, 0.85);
      t.brokenAt = new Date(t.brokenAtMs).toISOString();
    } else if (label === 'fixed') {
      t.fixedAtMs = momentAt(0.15, 0.7);
      t.fixedAt = new Date(t.fixedAtMs).toISOString();
    } else if (label === 'regressing') {
      t.regressionAtMs = momentAt(0.3, 0.75);
      t.regressionAt = new Date(t.regressionAtMs).toISOString();
      t.regressionFactor = round(rng.float(3, 6), 2);
      t.regressionRampMs = rng.float(0, 2) * DAY;
      // A regression needs something to grow from: not the shortest unit tests.
      t.medianMs = Math.max(t.medianMs, round(rng.float(80, 2000), 2));
    }
  });
}

/** The public ground truth of a model (no internal fields). */
export function toDemoTest(model: TestModel): DemoTest {
  const {
    testId: id,
    project,
    suite,
    name,
    file,
    kind,
    tags,
    label,
    medianMs,
    retries,
    smoke,
    failRate,
    brokenAt,
    fixedAt,
    regressionAt,
    regressionFactor,
  } = model;
  return {
    testId: id,
    project,
    suite,
    name,
    file,
    kind,
    tags,
    label,
    medianMs,
    retries,
    smoke,
    ...(failRate !== undefined ? { failRate } : {}),
    ...(brokenAt ? { brokenAt } : {}),
    ...(fixedAt ? { fixedAt } : {}),
    ...(regressionAt ? { regressionAt, regressionFactor } : {}),
  };
}
