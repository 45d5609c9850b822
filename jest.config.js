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
    // The web app ships on preact/compat (web/vite.config.mts); its tests render on it too. Each
    // name goes to Preact's CommonJS build: under jsdom, Preact's package exports pick its ES
    // modules, which jest cannot require.
    '^(react|react-dom|preact/compat)$': '<rootDir>/node_modules/preact/compat/dist/compat.js',
    '^react-dom/client$': '<rootDir>/node_modules/preact/compat/client.js',
    '^react-dom/test-utils$': '<rootDir>/node_modules/preact/test-utils/dist/testUtils.js',
    '^(react/jsx-runtime|react/jsx-dev-runtime|preact/jsx-runtime)$':
      '<rootDir>/node_modules/preact/jsx-runtime/dist/jsxRuntime.js',
    '^preact$': '<rootDir>/node_modules/preact/dist/preact.js',
    '^preact/hooks$': '<rootDir>/node_modules/preact/hooks/dist/hooks.js',
  },
};
