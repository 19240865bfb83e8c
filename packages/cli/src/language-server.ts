/** `bglint lsp`: the language server over the lint session (packages/lsp, packages/session). */
import { createSessionHost, startServer } from '@bglint/lsp';

export function startLanguageServer(): void {
  startServer(createSessionHost());
}
