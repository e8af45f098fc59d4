// Jest runs TypeScript as native ESM (chalk, listr2 and chokidar are ESM-only), so the test
// scripts start node with --experimental-vm-modules and ts-jest compiles each file in isolation.
const tsJest = ['ts-jest', { useESM: true }];
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import siblings as './x.js' (NodeNext); map them back to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      // CLI-level tests run a private bundle, so no `npm run build` is needed first.
      globalSetup: '<rootDir>/test/support/unit-cli-global-setup.js',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/engine-global-setup.js',
      globalTeardown: '<rootDir>/test/support/engine-global-teardown.js',
      slowTestThreshold: 60,
    },
  ],
};
