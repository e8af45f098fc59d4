// Run with: node --experimental-vm-modules node_modules/jest/bin/jest.js -c examples/jest-global-setup/jest.config.mjs
export default {
  rootDir: '.',
  testMatch: ['<rootDir>/*.test.mjs'],
  globalSetup: '<rootDir>/global-setup.mjs',
  globalTeardown: '<rootDir>/global-teardown.mjs',
  testEnvironment: 'node',
  transform: {},
};
