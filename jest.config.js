// Jest runs TypeScript as native ESM through ts-jest; relative imports carry a
// `.js` suffix (nodenext), which the mapper strips so ts-jest finds the `.ts`.
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^#([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    // @fastify/static require()s content-disposition 3, an ES module. Node
    // >= 20.19 loads that natively, Jest's module loader only on Node >= 24.9:
    // tests get 2.0.1, the same API as CommonJS.
    '^content-disposition$': 'content-disposition-cjs',
  },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
    {
      // Slow: real processes killed and restarted (npm run test:faults).
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
  ],
};
