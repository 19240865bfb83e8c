/**
 * A broken config file, shown where the user can fix it: a diagnostic on the config file (at the
 * offending key when it can be found) and one message per distinct error. The server meanwhile
 * keeps linting with the last good config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { URI } from './uri';
import type { ConfigError } from '@bglint/core';
import { SOURCE } from './convert';

export class ConfigProblems {
  private readonly shown = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  report(error: ConfigError): void {
    if (this.shown.get(error.file) === error.message) return;
    this.shown.set(error.file, error.message);
    // Settings errors name no file (`bglint.rules (editor settings)`): the message alone says it.
    if (path.isAbsolute(error.file)) ignoreFailure(this.connection.sendDiagnostics({ uri: URI.fromPath(error.file), diagnostics: [configDiagnostic(error)] }));
    // Typed void, but sent as a request: its promise must not reject unhandled when the client goes.
    ignoreFailure(Promise.resolve(this.connection.window.showErrorMessage(`bglint: invalid configuration: ${error.message}. Using the last valid configuration until it is fixed.`)));
  }

  clear(file: string): void {
    if (!this.shown.delete(file)) return;
    ignoreFailure(this.connection.sendDiagnostics({ uri: URI.fromPath(file), diagnostics: [] }));
  }
}

function configDiagnostic(error: ConfigError): Diagnostic {
  const line = lineOfKey(error.file, error.keyPath);
  return {
    range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: error.message.slice(error.file.length + 2),
  };
}

/** The first line naming the key path's last key (`rules.foo[1].bar` → `bar`), or 0. */
function lineOfKey(file: string, keyPath: string): number {
  const key = keyPath.split('.').pop()?.replace(/\[\d+\]$/, '');
  if (!key) return 0;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  const line = text.split('\n').findIndex((l) => l.includes(key));
  return Math.max(line, 0);
}

/** A notification that cannot be delivered (the client went away) is not worth crashing for. */
function ignoreFailure(work: Promise<unknown>): void {
  work.catch(() => undefined);
}
