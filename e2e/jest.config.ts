// End-to-end tests: the real fleet (nine processes from dist/) on real Redis and FerretDB, driven over
// HTTP through @testpulse/testing. Run with --runInBand (npm run test:e2e); npm test runs them last.
import type { Config } from 'jest';

const config: Config = {
  rootDir: '..',
  preset: '<rootDir>/jest.preset.js',
  roots: ['<rootDir>/e2e'],
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
  globalSetup: '<rootDir>/e2e/global-setup.ts',
};

export default config;
