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
  // Once in five fresh-clone runs, jest found every test passed but did not exit (a handle left open;
  // not reproduced with --detectOpenHandles). A hung CI run lands nothing, so jest exits when done and
  // prints its warning; the leak is a known open item.
  forceExit: true,
};
