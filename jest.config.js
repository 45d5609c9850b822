/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts?(x)'],
  // A guard against hangs, not a speed check: the browser suites share the two cores with the rest.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
    // Component tests (jsdom, docblock `@jest-environment jsdom`) and the web app's TSX.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
      },
    ],
  },
  moduleNameMapper: {
    // Vite bundles the styles; under jest a stylesheet import is nothing.
    '\\.css$': '<rootDir>/test/web/styleStub.ts',
    // d3's packages export ES modules to a `require`; each ships a UMD build jest can load.
    '^(d3-[a-z-]+|internmap)$': '<rootDir>/node_modules/$1/dist/$1.js',
  },
};
