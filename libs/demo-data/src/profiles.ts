/**
 * The three demo projects: what they are, the language their tests are written in (it decides names,
 * files, error messages and stack traces) and how their CI behaves.
 */
export type Language = 'typescript' | 'java' | 'kotlin';
export type TestKind = 'unit' | 'integration' | 'e2e';

export interface Area {
  /** Package or folder name. */
  key: string;
  /** Human title (Playwright describe blocks). */
  title: string;
  /** Things the area's suites are about (one suite each). */
  subjects: readonly string[];
}

export interface ProjectProfile {
  key: string;
  name: string;
  language: Language;
  /** Tests at scale 1. */
  tests: number;
  /** Share of suites of each kind. */
  kinds: ReadonlyArray<readonly [TestKind, number]>;
  /** Retries after a failed try, per kind (Playwright retries, surefire reruns, flank retries). */
  retries: Readonly<Record<TestKind, number>>;
  areas: readonly Area[];
  /** Pushes to main on a weekday (± 1). */
  mainPushesPerDay: number;
  /** Pushes per active feature branch on a weekday (0..n). */
  branchPushesPerDay: number;
  /** Feature branches open at once, about. */
  openBranches: number;
  /** Ticket prefix of the branch names (SHOP-1234). */
  ticket: string;
  /** A release branch with a run every other day. */
  release?: string;
  /** Parallel test workers: the run's wall time is the test time divided by this. */
  workers: number;
  environments: { push: string; nightly: string };
  /** Where CI checks the repository out (only the last path segment survives normalisation). */
  workdirs: readonly string[];
}

export const PROFILES: readonly ProjectProfile[] = [
  {
    key: 'web-shop',
    name: 'Web shop',
    language: 'typescript',
    tests: 450,
    kinds: [
      ['unit', 0.5],
      ['e2e', 0.5],
    ],
    retries: { unit: 0, integration: 1, e2e: 2 },
    areas: [
      {
        key: 'checkout',
        title: 'Checkout',
        subjects: ['guest checkout', 'express checkout', 'address form', 'order summary', 'payment step'],
      },
      {
        key: 'cart',
        title: 'Cart',
        subjects: ['mini cart', 'cart page', 'quantity stepper', 'saved for later'],
      },
      {
        key: 'search',
        title: 'Search',
        subjects: ['search box', 'autocomplete', 'facets', 'no-results page'],
      },
      {
        key: 'catalog',
        title: 'Catalog',
        subjects: ['product page', 'product gallery', 'size picker', 'category page', 'breadcrumbs'],
      },
      {
        key: 'account',
        title: 'Account',
        subjects: ['sign-in', 'registration', 'password reset', 'order history', 'address book'],
      },
      { key: 'wishlist', title: 'Wishlist', subjects: ['wishlist page', 'share dialog', 'price alerts'] },
      {
        key: 'promotions',
        title: 'Promotions',
        subjects: ['voucher field', 'bundle offer', 'free-shipping banner', 'loyalty points'],
      },
      {
        key: 'i18n',
        title: 'Localisation',
        subjects: ['currency switcher', 'locale routing', 'tax display'],
      },
      { key: 'reviews', title: 'Reviews', subjects: ['review form', 'rating summary', 'review moderation'] },
      {
        key: 'shipping',
        title: 'Shipping',
        subjects: ['delivery slots', 'pickup points', 'shipping estimate'],
      },
    ],
    mainPushesPerDay: 4,
    branchPushesPerDay: 2,
    openBranches: 3,
    ticket: 'SHOP',
    workers: 4,
    environments: { push: 'ci-chromium', nightly: 'staging' },
    workdirs: ['/home/runner/work/web-shop/web-shop', '/__w/web-shop/web-shop'],
  },
  {
    key: 'payments-api',
    name: 'Payments API',
    language: 'java',
    tests: 330,
    kinds: [
      ['unit', 0.6],
      ['integration', 0.4],
    ],
    retries: { unit: 0, integration: 1, e2e: 1 },
    areas: [
      { key: 'refund', title: 'Refund', subjects: ['Refund', 'PartialRefund', 'RefundPolicy'] },
      { key: 'capture', title: 'Capture', subjects: ['Capture', 'DelayedCapture'] },
      {
        key: 'authorization',
        title: 'Authorization',
        subjects: ['Authorization', 'ThreeDSecure', 'CardVerifier'],
      },
      { key: 'ledger', title: 'Ledger', subjects: ['Ledger', 'JournalEntry', 'Balance'] },
      { key: 'fx', title: 'FX', subjects: ['FxConverter', 'RateProvider'] },
      { key: 'webhooks', title: 'Webhooks', subjects: ['WebhookDispatcher', 'SignatureVerifier'] },
      { key: 'fraud', title: 'Fraud', subjects: ['RiskScorer', 'VelocityCheck', 'Blocklist'] },
      { key: 'settlement', title: 'Settlement', subjects: ['SettlementBatch', 'PayoutScheduler'] },
      { key: 'disputes', title: 'Disputes', subjects: ['Chargeback', 'DisputeEvidence'] },
      { key: 'tokenization', title: 'Tokenization', subjects: ['CardVault', 'TokenRotation'] },
    ],
    mainPushesPerDay: 3,
    branchPushesPerDay: 2,
    openBranches: 2,
    ticket: 'PAY',
    release: 'release/3.4',
    workers: 2,
    environments: { push: 'ci-jdk21', nightly: 'ci-jdk21-nightly' },
    workdirs: ['/var/lib/jenkins/workspace/payments-api', '/var/lib/jenkins/workspace/payments-api@2'],
  },
  {
    key: 'mobile-app',
    name: 'Mobile app (Android)',
    language: 'kotlin',
    tests: 240,
    kinds: [
      ['unit', 0.55],
      ['e2e', 0.45],
    ],
    retries: { unit: 0, integration: 1, e2e: 1 },
    areas: [
      { key: 'login', title: 'Login', subjects: ['Login', 'Biometric'] },
      { key: 'onboarding', title: 'Onboarding', subjects: ['Onboarding', 'Permissions'] },
      { key: 'catalog', title: 'Catalog', subjects: ['ProductList', 'ProductDetail'] },
      { key: 'cart', title: 'Cart', subjects: ['Cart', 'CartBadge'] },
      { key: 'checkout', title: 'Checkout', subjects: ['Checkout', 'GooglePay'] },
      { key: 'profile', title: 'Profile', subjects: ['Profile', 'Addresses'] },
      { key: 'notifications', title: 'Notifications', subjects: ['PushNotification', 'Inbox'] },
      { key: 'search', title: 'Search', subjects: ['Search', 'Filters'] },
      { key: 'orders', title: 'Orders', subjects: ['OrderHistory', 'OrderTracking'] },
    ],
    mainPushesPerDay: 3,
    branchPushesPerDay: 1,
    openBranches: 2,
    ticket: 'APP',
    release: 'release/5.12',
    workers: 1,
    environments: { push: 'emulator-pixel7-api34', nightly: 'firebase-test-lab' },
    workdirs: ['/builds/acme/mobile-app', '/builds/acme/mobile-app-android'],
  },
];

export const DEMO_PROJECT_KEYS: readonly string[] = PROFILES.map((p) => p.key);

export function profileOf(key: string): ProjectProfile {
  const profile = PROFILES.find((p) => p.key === key);
  if (!profile) throw new Error(`Unknown demo project '${key}' (known: ${DEMO_PROJECT_KEYS.join(', ')})`);
  return profile;
}
