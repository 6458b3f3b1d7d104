/** Jest in ESM mode with ts-jest; run through `npm test` (Node 24 from the `node` devDependency). */
export default {
  preset: 'ts-jest',
  resolver: 'ts-jest-resolver',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/__tests__', '<rootDir>/emulator/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true, diagnostics: { ignoreCodes: [151002] } }]
  },
  // the suite gets its own TMPDIR, which must be empty at the end (__fixtures__/jest/temp-dir.ts)
  globalSetup: '<rootDir>/__fixtures__/jest/global-setup.ts',
  globalTeardown: '<rootDir>/__fixtures__/jest/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  verbose: false
}
