import { failureFingerprint } from '@testpulse/domain';
import { buildCatalogue } from './catalogue';
import { ERROR_CLUSTERS } from './errors';
import { PROFILES } from './profiles';
import { Rng } from './random';

describe('error clusters', () => {
  const catalogues = PROFILES.map((profile) =>
    buildCatalogue({
      profile,
      rng: new Rng(1).fork(profile.key),
      scale: 0.3,
      startMs: 0,
      endMs: 21 * 86_400_000,
    }),
  );

  it.each(ERROR_CLUSTERS.map((c) => [c.id, c] as const))(
    '%s: occurrences differ in details but share a fingerprint per test',
    (_id, cluster) => {
      const tests = catalogues
        .flat()
        .filter((t) => t.language === cluster.language)
        .slice(0, 4);
      const perCluster = new Set<string>();
      for (const test of tests) {
        const rng = new Rng(99).fork(test.testId);
        const errors = Array.from({ length: 12 }, (_, i) =>
          cluster.make({
            rng,
            test,
            workdir: `/ci/build-${i}/repo`,
            at: new Date(Date.UTC(2026, 10, 1 + i, 9, i)),
          }),
        );
        const hashes = new Set(errors.map((e) => failureFingerprint(e).hash));
        expect(hashes.size).toBe(1);
        perCluster.add([...hashes][0]);
        if (cluster.role === 'outage') continue;
        // Raw texts vary (numbers, ids, addresses, paths, line numbers), except for the odd constant one.
        expect(new Set(errors.map((e) => `${e.message}|${e.stack}`)).size).toBeGreaterThan(1);
        for (const e of errors) {
          expect(e.type).toBeTruthy();
          expect(e.stack?.split('\n').length).toBeGreaterThan(1);
        }
      }
      // An outage is one error for every test of the project.
      if (cluster.role === 'outage') expect(perCluster.size).toBe(1);
    },
  );
});
