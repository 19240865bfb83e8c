export { startServer } from './server';
export type { FolderLinter, FolderOptions, LintHost } from './host';
