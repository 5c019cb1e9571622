// Unit tests: every *.spec.ts beside the code in apps/ and libs/.
import type { Config } from 'jest';
const preset = require('./jest.preset.js');

const config: Config = {
  ...preset,
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.spec.ts'],
};

export default config;
