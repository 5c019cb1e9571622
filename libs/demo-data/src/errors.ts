/**
 * Failure messages and stack traces, in clusters: each cluster is one underlying problem whose
 * occurrences differ in numbers, ids, addresses, paths, line numbers and timestamps, the way real
 * ones do, so that they share a failure fingerprint after normalisation. Some clusters are about one
 * test (an assertion), some about one suite or area, and some are shared by many tests (a backend
 * answering 503, an infrastructure outage).
 */
import type { ResultError } from '@testpulse/domain';
import type { TestModel } from './catalogue';
import type { Language, TestKind } from './profiles';
import { Rng } from './random';

export type ClusterRole = 'flaky' | 'broken' | 'outage';

export interface ErrorContext {
  rng: Rng;
  test: TestModel;
  /** The CI checkout directory of this run. */
  workdir: string;
  /** When the failure happened. */
  at: Date;
}

export interface ErrorCluster {
  id: string;
  language: Language;
  role: ClusterRole;
  /** Kinds of tests that can fail this way. */
  kinds: readonly TestKind[];
  status: 'failed' | 'errored';
  /** How long a try that fails this way takes (timeouts wait); default: the test's usual duration. */
  durationMs?: (rng: Rng) => number;
  make(ctx: ErrorContext): ResultError;
}

const simpleName = (qualified: string) => qualified.slice(qualified.lastIndexOf('.') + 1);
/** The source file of the code under test of a TypeScript test (`CartService` → `src/cart/cart-service.ts`). */
const sourceOf = (test: TestModel) =>
  `src/${test.area.key}/${test.subjectClass.replace(/[A-Z]/g, (c: string, i: number) => (i ? '-' : '') + c.toLowerCase())}.ts`;

/** A JS stack: the message line, then `at` frames indented by four spaces. */
function jsStack(type: string, message: string, frames: string[]): string {
  return [`${type}: ${message.split('\n')[0]}`, ...frames.map((f) => `    at ${f}`)].join('\n');
}

/** A JVM stack: the message line, then tab-indented `at` frames. */
function jvmStack(type: string, message: string, frames: string[]): string {
  return [`${type}: ${message.split('\n')[0]}`, ...frames.map((f) => `\tat ${f}`)].join('\n');
}

/** `  at pkg.Class.method(Class.java:42)` for a test method, from its suite (a class name). */
function jvmTestFrame(test: TestModel, rng: Rng): string {
  const ext = test.language === 'kotlin' ? 'kt' : 'java';
  return `${test.suite}.${test.method}(${simpleName(test.suite)}.${ext}:${test.line + rng.int(1, 6)})`;
}

function jsTestFrame(test: TestModel, workdir: string, rng: Rng): string {
  const where = `${workdir}/${test.file}:${test.line + rng.int(1, 8)}:${rng.int(5, 31)}`;
  return test.kind === 'e2e' ? where : `Object.<anonymous> (${where})`;
}

const JVM_REFLECTION = [
  'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:580)',
  'org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)',
];

const RESOURCES = ['orders', 'carts', 'products', 'customers', 'inventory', 'vouchers'];

// --- web shop (TypeScript, Jest + Playwright) --------------------------------------------------------

const TYPESCRIPT: ErrorCluster[] = [
  {
    id: 'ts-timeout',
    language: 'typescript',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'failed',
    durationMs: (rng) => 5000 + rng.float(150, 2500),
    make: ({ rng, test, workdir }) => {
      const message = `Timeout of 5000ms exceeded waiting for ${test.element}`;
      return {
        type: 'TimeoutError',
        message,
        stack: jsStack('TimeoutError', message, [
          `${test.subjectClass}.waitForReady (${workdir}/tests/e2e/pages/${test.area.key}.page.ts:${rng.int(40, 44)}:${rng.int(9, 27)})`,
          jsTestFrame(test, workdir, rng),
          `${workdir}/node_modules/@playwright/test/lib/worker/workerMain.js:${rng.int(330, 340)}:${rng.int(5, 9)}`,
        ]),
      };
    },
  },
  {
    id: 'ts-http-5xx',
    language: 'typescript',
    role: 'flaky',
    kinds: ['e2e', 'integration'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const resource = RESOURCES[test.area.key.length % RESOURCES.length];
      const message =
        `expected 200 but got ${rng.pick([502, 503, 503, 504])} from ` +
        `http://10.0.${rng.int(0, 7)}.${rng.int(2, 250)}:8080/api/${resource}/${rng.int(1000, 99999)}`;
      return {
        type: 'AssertionError',
        message,
        stack: jsStack('AssertionError', message, [
          `ApiClient.expectOk (${workdir}/tests/support/api-client.ts:${rng.int(44, 46)}:11)`,
          `ApiClient.request (${workdir}/tests/support/api-client.ts:${rng.int(28, 30)}:12)`,
          `process.processTicksAndRejections (node:internal/process/task_queues:${rng.pick([95, 105])}:5)`,
          jsTestFrame(test, workdir, rng),
        ]),
      };
    },
  },
  {
    id: 'ts-detached',
    language: 'typescript',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const message = `locator.click: Element is not attached to the DOM\nCall log:\n  - waiting for locator('${test.element}')\n  - locator resolved to <button data-v-${rng.hex(8)}>…</button>`;
      return {
        type: 'Error',
        message,
        stack: jsStack('Error', message, [
          `${test.subjectClass}.submit (${workdir}/tests/e2e/pages/${test.area.key}.page.ts:${rng.int(60, 63)}:${rng.int(20, 30)})`,
          jsTestFrame(test, workdir, rng),
        ]),
      };
    },
  },
  {
    id: 'ts-snapshot',
    language: 'typescript',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const pixels = rng.int(120, 9000);
      const message = `Screenshot comparison failed: ${pixels} pixels (ratio 0.${rng.int(1, 9)}${rng.int(0, 9)}) are different.`;
      return {
        type: 'Error',
        message,
        stack: jsStack('Error', message, [
          jsTestFrame(test, workdir, rng),
          `${workdir}/node_modules/@playwright/test/lib/matchers/toMatchSnapshot.js:${rng.int(230, 236)}:14`,
        ]),
      };
    },
  },
  {
    id: 'ts-race',
    language: 'typescript',
    role: 'flaky',
    kinds: ['unit'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const message = "Cannot read properties of undefined (reading 'price')";
      return {
        type: 'TypeError',
        message,
        stack: jsStack('TypeError', message, [
          `${test.subjectClass}.recalculate (${workdir}/${sourceOf(test)}:${rng.int(88, 90)}:${rng.int(20, 24)})`,
          `Timeout._onTimeout (${workdir}/${sourceOf(test)}:${rng.int(120, 121)}:9)`,
          `listOnTimeout (node:internal/timers:${rng.pick([569, 581])}:17)`,
        ]),
      };
    },
  },
  {
    id: 'ts-timing',
    language: 'typescript',
    role: 'flaky',
    kinds: ['unit'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const message = `expect(received).toBeLessThan(expected)\n\nExpected: < 100\nReceived:   ${rng.int(101, 260)}`;
      return { type: 'Error', message, stack: jsStack('Error', message, [jsTestFrame(test, workdir, rng)]) };
    },
  },
  {
    id: 'ts-toequal',
    language: 'typescript',
    role: 'broken',
    kinds: ['unit', 'e2e'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const expected = (rng.int(1000, 99999) / 100).toFixed(2);
      const received = (Number(expected) - rng.int(1, 2000) / 100).toFixed(2);
      const message =
        'expect(received).toEqual(expected) // deep equality\n\n- Expected  - 1\n+ Received  + 1\n\n' +
        `  Object {\n-   "total": ${expected},\n+   "total": ${received},\n  }`;
      return { type: 'Error', message, stack: jsStack('Error', message, [jsTestFrame(test, workdir, rng)]) };
    },
  },
  {
    id: 'ts-tobe',
    language: 'typescript',
    role: 'broken',
    kinds: ['unit', 'e2e'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const expected = rng.int(1, 12);
      const message = `expect(received).toBe(expected) // Object.is equality\n\nExpected: ${expected}\nReceived: ${expected + rng.int(1, 3)}`;
      return { type: 'Error', message, stack: jsStack('Error', message, [jsTestFrame(test, workdir, rng)]) };
    },
  },
  {
    id: 'ts-not-a-function',
    language: 'typescript',
    role: 'broken',
    kinds: ['unit', 'e2e'],
    status: 'failed',
    make: ({ rng, test, workdir }) => {
      const message = 'cart.lines.map is not a function';
      return {
        type: 'TypeError',
        message,
        stack: jsStack('TypeError', message, [
          `${test.subjectClass}.totals (${workdir}/${sourceOf(test)}:${rng.int(117, 118)}:${rng.int(30, 32)})`,
          jsTestFrame(test, workdir, rng),
        ]),
      };
    },
  },
  {
    id: 'ts-econnrefused',
    language: 'typescript',
    role: 'outage',
    kinds: ['unit', 'integration', 'e2e'],
    status: 'errored',
    durationMs: (rng) => rng.float(8, 120),
    make: ({ rng }) => {
      const message = `connect ECONNREFUSED 10.0.3.${rng.int(10, 40)}:5432`;
      return {
        type: 'Error',
        message,
        stack: jsStack('Error', message, [
          `TCPConnectWrap.afterConnect [as oncomplete] (node:net:${rng.pick([1555, 1595, 1607])}:16)`,
        ]),
      };
    },
  },
];

// --- payments API (Java, JUnit 5 + Spring + Testcontainers) ------------------------------------------

const JUNIT_ASSERT_EQUALS = (rng: Rng) => [
  `org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:${rng.pick([151, 152])})`,
  'org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)',
  `org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:${rng.pick([197, 197, 198])})`,
];

const JAVA: ErrorCluster[] = [
  {
    id: 'java-http-503',
    language: 'java',
    role: 'flaky',
    kinds: ['integration'],
    status: 'failed',
    make: ({ rng, test }) => {
      const message = `expected: <200> but was: <${rng.pick([502, 503, 503, 504])}>`;
      const type = 'org.opentest4j.AssertionFailedError';
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          ...JUNIT_ASSERT_EQUALS(rng),
          jvmTestFrame(test, rng),
          ...JVM_REFLECTION,
        ]),
      };
    },
  },
  {
    id: 'java-read-timeout',
    language: 'java',
    role: 'flaky',
    kinds: ['integration'],
    status: 'errored',
    durationMs: (rng) => 10_000 + rng.float(5, 400),
    make: ({ rng, test }) => {
      const type = 'java.net.SocketTimeoutException';
      const message = 'Read timed out';
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:${rng.pick([288, 278])})`,
          'java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)',
          'java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)',
          `com.acme.payments.fx.RateProviderClient.fetch(RateProviderClient.java:${rng.int(75, 79)})`,
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'java-awaitility',
    language: 'java',
    role: 'flaky',
    kinds: ['integration'],
    status: 'errored',
    durationMs: (rng) => 10_000 + rng.float(50, 900),
    make: ({ rng, test }) => {
      const type = 'org.awaitility.core.ConditionTimeoutException';
      const message = `Condition with ${test.suite} was not fulfilled within 10 seconds.`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `org.awaitility.core.ConditionAwaiter.await(ConditionAwaiter.java:${rng.pick([167, 167, 168])})`,
          'org.awaitility.core.CallableCondition.await(CallableCondition.java:78)',
          'org.awaitility.core.ConditionFactory.until(ConditionFactory.java:985)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'java-deadlock',
    language: 'java',
    role: 'flaky',
    kinds: ['integration'],
    status: 'errored',
    make: ({ rng, test }) => {
      const type = 'org.springframework.dao.CannotAcquireLockException';
      const [a, b] = [rng.int(20000, 60000), rng.int(20000, 60000)];
      const message =
        `could not execute statement [ERROR: deadlock detected\n  Detail: Process ${a} waits for ShareLock on ` +
        `transaction ${rng.int(100000, 999999)}; blocked by process ${b}.] [update ledger_entry set amount=? where id=?]`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          'org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:294)',
          'org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:256)',
          'org.springframework.orm.jpa.JpaTransactionManager.doCommit(JpaTransactionManager.java:566)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'java-optimistic-lock',
    language: 'java',
    role: 'flaky',
    kinds: ['integration', 'unit'],
    status: 'errored',
    make: ({ rng, test }) => {
      const type = 'org.springframework.orm.ObjectOptimisticLockingFailureException';
      const message =
        'Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect) : ' +
        `[${test.subjectClass}#${rng.uuid()}]`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `${test.subjectClass}.update(${simpleName(test.subjectClass)}.java:${rng.int(140, 142)})`,
          jvmTestFrame(test, rng),
          ...JVM_REFLECTION,
        ]),
      };
    },
  },
  {
    id: 'java-clock',
    language: 'java',
    role: 'flaky',
    kinds: ['unit'],
    status: 'failed',
    make: ({ rng, test, at }) => {
      const type = 'org.opentest4j.AssertionFailedError';
      const expected = new Date(Math.floor(at.getTime() / 1000) * 1000);
      const actual = new Date(expected.getTime() + 1000 * rng.int(1, 2));
      const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
      const message = `expected: <${iso(expected)}> but was: <${iso(actual)}>`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [...JUNIT_ASSERT_EQUALS(rng), jvmTestFrame(test, rng)]),
      };
    },
  },
  {
    id: 'java-npe',
    language: 'java',
    role: 'broken',
    kinds: ['unit', 'integration'],
    status: 'errored',
    make: ({ rng, test }) => {
      const type = 'java.lang.NullPointerException';
      const cls = simpleName(test.subjectClass);
      const message = `Cannot invoke "java.math.BigDecimal.add(java.math.BigDecimal)" because the return value of "${test.subjectClass}.fee()" is null`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `${test.subjectClass}.apply(${cls}.java:${rng.int(117, 119)})`,
          `${test.subjectClass}.process(${cls}.java:${rng.int(64, 65)})`,
          jvmTestFrame(test, rng),
          ...JVM_REFLECTION,
        ]),
      };
    },
  },
  {
    id: 'java-assertj',
    language: 'java',
    role: 'broken',
    kinds: ['unit', 'integration'],
    status: 'failed',
    make: ({ rng, test }) => {
      const type = 'org.opentest4j.AssertionFailedError';
      const expected = (rng.int(100, 99999) / 100).toFixed(2);
      const actual = (Number(expected) + rng.int(1, 500) / 100).toFixed(2);
      const message = `[${test.subject.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} amount] \nexpected: ${expected}\n but was: ${actual}`;
      return { type, message, stack: jvmStack(type, message, [jvmTestFrame(test, rng), ...JVM_REFLECTION]) };
    },
  },
  {
    id: 'java-illegal-state',
    language: 'java',
    role: 'broken',
    kinds: ['unit', 'integration'],
    status: 'errored',
    make: ({ rng, test }) => {
      const type = 'java.lang.IllegalStateException';
      const message = `${test.subject} ${rng.uuid()} is in state CAPTURED, expected SETTLED`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `${test.subjectClass}.requireState(${simpleName(test.subjectClass)}.java:${rng.int(201, 203)})`,
          jvmTestFrame(test, rng),
          ...JVM_REFLECTION,
        ]),
      };
    },
  },
  {
    id: 'java-db-refused',
    language: 'java',
    role: 'outage',
    kinds: ['unit', 'integration', 'e2e'],
    status: 'errored',
    durationMs: (rng) => rng.float(30, 400),
    make: ({ rng }) => {
      const type = 'org.springframework.jdbc.CannotGetJdbcConnectionException';
      const message =
        `Failed to obtain JDBC Connection: Connection to db-payments-${rng.int(1, 3)}.ci.internal:5432 refused. ` +
        'Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.';
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          'org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)',
          'org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:376)',
          `org.flywaydb.core.internal.jdbc.JdbcUtils.openConnection(JdbcUtils.java:${rng.pick([60, 62])})`,
        ]),
      };
    },
  },
];

// --- mobile app (Kotlin, JUnit 4 + Espresso) ----------------------------------------------------------

const ESPRESSO = [
  'dalvik.system.VMStack.getThreadStackTrace(Native Method)',
  'java.lang.Thread.getStackTrace(Thread.java:1841)',
  'androidx.test.espresso.base.EspressoExceptionHandler.handleSafely(EspressoExceptionHandler.java:2)',
  'androidx.test.espresso.base.DefaultFailureHandler.handle(DefaultFailureHandler.java:41)',
];

const viewRef = (rng: Rng, element: string) =>
  `view.getId() is <${2131296000 + rng.int(100, 999)}/com.acme.shopapp:id/${element}>`;

const KOTLIN: ErrorCluster[] = [
  {
    id: 'kt-no-matching-view',
    language: 'kotlin',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'failed',
    make: ({ rng, test }) => {
      const type = 'androidx.test.espresso.NoMatchingViewException';
      const message =
        `No views in hierarchy found matching: ${viewRef(rng, test.element)}\n\nView Hierarchy:\n` +
        `+>DecorView{id=-1, visibility=VISIBLE, width=1080, height=${rng.pick([2400, 2340])}, has-focus=true}`;
      return { type, message, stack: jvmStack(type, message, [...ESPRESSO, jvmTestFrame(test, rng)]) };
    },
  },
  {
    id: 'kt-perform',
    language: 'kotlin',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'failed',
    make: ({ rng, test }) => {
      const type = 'androidx.test.espresso.PerformException';
      const message = `Error performing 'single click - At Coordinates: ${rng.int(100, 1000)}, ${rng.int(200, 2300)} and precision: 16, 16' on view '${viewRef(rng, test.element)}'.`;
      return { type, message, stack: jvmStack(type, message, [...ESPRESSO, jvmTestFrame(test, rng)]) };
    },
  },
  {
    id: 'kt-not-idle',
    language: 'kotlin',
    role: 'flaky',
    kinds: ['e2e'],
    status: 'errored',
    durationMs: (rng) => 60_000 + rng.float(100, 1500),
    make: ({ rng, test }) => {
      const type = 'androidx.test.espresso.AppNotIdleException';
      const message = `Looped for ${rng.int(2000, 6000)} iterations over 60 SECONDS. The following Idle Conditions failed ASYNC_TASKS_HAVE_IDLED.`;
      return { type, message, stack: jvmStack(type, message, [...ESPRESSO, jvmTestFrame(test, rng)]) };
    },
  },
  {
    id: 'kt-coroutines',
    language: 'kotlin',
    role: 'flaky',
    kinds: ['unit'],
    status: 'failed',
    durationMs: (rng) => 10_000 + rng.float(5, 50),
    make: ({ rng, test }) => {
      const type = 'kotlinx.coroutines.test.UncompletedCoroutinesError';
      const message = `After waiting for 10s, the test coroutine is not completing, there were active child jobs: ["coroutine#${rng.int(2, 40)}":StandaloneCoroutine{Active}]`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          'kotlinx.coroutines.test.TestBuildersKt__TestBuildersKt$runTest$2$1$2$1.invoke(TestBuilders.kt:349)',
          'kotlinx.coroutines.test.TestBuildersKt__TestBuildersKt$runTest$2$1$2$1.invoke(TestBuilders.kt:333)',
          'kotlinx.coroutines.InvokeOnCancelling.invoke(JobSupport.kt:1434)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'kt-comparison',
    language: 'kotlin',
    role: 'broken',
    kinds: ['unit', 'e2e'],
    status: 'failed',
    make: ({ rng, test }) => {
      const type = 'org.junit.ComparisonFailure';
      const expected = rng.int(1, 9);
      const message = `expected:<[${expected}]> but was:<[${expected + rng.int(1, 3)}]>`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          'org.junit.Assert.assertEquals(Assert.java:117)',
          'org.junit.Assert.assertEquals(Assert.java:146)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'kt-lateinit',
    language: 'kotlin',
    role: 'broken',
    kinds: ['unit', 'e2e'],
    status: 'errored',
    make: ({ rng, test }) => {
      const type = 'kotlin.UninitializedPropertyAccessException';
      const message = 'lateinit property viewModel has not been initialized';
      const cls = simpleName(test.subjectClass);
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `${test.subjectClass}.getViewModel(${cls}.kt:${rng.int(31, 32)})`,
          `${test.subjectClass}.onViewCreated(${cls}.kt:${rng.int(58, 60)})`,
          'androidx.fragment.app.Fragment.performViewCreated(Fragment.java:3128)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'kt-truth',
    language: 'kotlin',
    role: 'broken',
    kinds: ['unit'],
    status: 'failed',
    make: ({ rng, test }) => {
      const type = 'java.lang.AssertionError';
      const expected = rng.int(0, 50);
      const message = `expected: ${expected}\nbut was : ${expected + rng.int(1, 5)}`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          'com.google.common.truth.Subject.failEqualityCheck(Subject.java:1109)',
          'com.google.common.truth.Subject.isEqualTo(Subject.java:321)',
          jvmTestFrame(test, rng),
        ]),
      };
    },
  },
  {
    id: 'kt-device-offline',
    language: 'kotlin',
    role: 'outage',
    kinds: ['unit', 'integration', 'e2e'],
    status: 'errored',
    durationMs: (rng) => rng.float(5, 60),
    make: ({ rng }) => {
      const type = 'com.android.ddmlib.AdbCommandRejectedException';
      const message = `device 'emulator-${rng.pick([5554, 5556, 5558])}' not found`;
      return {
        type,
        message,
        stack: jvmStack(type, message, [
          `com.android.ddmlib.AdbHelper.setDevice(AdbHelper.java:${rng.pick([855, 857])})`,
          'com.android.ddmlib.AdbHelper.executeRemoteCommand(AdbHelper.java:520)',
          'com.android.ddmlib.internal.DeviceImpl.executeRemoteCommand(DeviceImpl.java:678)',
        ]),
      };
    },
  },
];

export const ERROR_CLUSTERS: readonly ErrorCluster[] = [...TYPESCRIPT, ...JAVA, ...KOTLIN];
const BY_ID = new Map(ERROR_CLUSTERS.map((cluster) => [cluster.id, cluster]));

export function clusterById(id: string): ErrorCluster {
  const cluster = BY_ID.get(id);
  if (!cluster) throw new Error(`Unknown error cluster '${id}'`);
  return cluster;
}

/** The clusters a test of this language and kind can fail with in the given role. */
export function clustersFor(language: Language, kind: TestKind, role: ClusterRole): ErrorCluster[] {
  const fitting = ERROR_CLUSTERS.filter((c) => c.language === language && c.role === role);
  const ofKind = fitting.filter((c) => c.kinds.includes(kind));
  return ofKind.length > 0 ? ofKind : fitting;
}

/** The infrastructure outage of a project's CI (one per language). */
export function outageCluster(language: Language): ErrorCluster {
  return clustersFor(language, 'unit', 'outage')[0];
}

/** Chooses the clusters a test fails with (kept on the model: its failures look alike run after run). */
export function assignClusters(test: TestModel, rng: Rng): void {
  test.flakyCluster = rng.pick(clustersFor(test.language, test.kind, 'flaky')).id;
  test.brokenCluster = rng.pick(clustersFor(test.language, test.kind, 'broken')).id;
}
