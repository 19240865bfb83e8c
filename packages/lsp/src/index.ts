export { startServer } from './server';
export { createSessionHost } from './session-host';
export type { FolderLinter, FolderOptions, LintHost } from './host';
