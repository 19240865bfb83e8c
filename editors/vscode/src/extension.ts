/**
 * Starts `bglint lsp` for Swift and Objective-C files: the workspace's own bglint (node_modules),
 * or the one `bglint.path` names, or `bglint` on PATH. Settings reach the server through
 * `workspace/configuration`, which the language client answers from the `bglint` section.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspace } from 'vscode';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...['swift', 'objective-c', 'objective-cpp'].map((language) => ({ scheme: 'file', language })),
      { scheme: 'file', pattern: '**/{*Info.plist,*.entitlements}' },
    ],
    synchronize: { configurationSection: 'bglint' },
  };
  client = new LanguageClient('bglint', 'bglint', serverOptions(), clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** A bin/bglint.js runs on the editor's own Node; a bare `bglint` command runs as it is. */
function serverOptions(): ServerOptions {
  const script = configuredScript() ?? workspaceScript();
  if (script) return { module: script, args: ['lsp'], transport: TransportKind.stdio };
  return { command: 'bglint', args: ['lsp', '--stdio'], transport: TransportKind.stdio };
}

function configuredScript(): string | undefined {
  const configured = workspace.getConfiguration('bglint').get<string>('path');
  if (!configured) return undefined;
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return path.resolve(folder, configured);
}

function workspaceScript(): string | undefined {
  for (const folder of workspace.workspaceFolders ?? []) {
    const candidates = [
      path.join(folder.uri.fsPath, 'node_modules/@bglint/cli/bin/bglint.js'),
      path.join(folder.uri.fsPath, 'node_modules/bglint/bin/bglint.js'),
    ];
    const found = candidates.find((file) => fs.existsSync(file));
    if (found) return found;
  }
  return undefined;
}
