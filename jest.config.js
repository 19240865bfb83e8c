/** One jest run for every package; TypeScript through swc, packages resolved to their sources. */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': '@swc/jest' },
  moduleNameMapper: { '^@bglint/([a-z-]+)$': '<rootDir>/packages/$1/src' },
  // The VS Code extension's manifest is named bglint too (the extension's id), as is packages/bglint.
  modulePathIgnorePatterns: ['<rootDir>/editors/vscode/'],
  testTimeout: 60000,
  // Tests end on their own; one that leaves a handle open fails the run and names it (scripts/jest-open-handles.js).
  reporters: ['default', '<rootDir>/scripts/jest-open-handles.js'],
  // Not in the temp folder: a test run leaves nothing there.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
