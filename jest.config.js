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
  testTimeout: 60000,
  maxWorkers: 2,
  verbose: false
}
