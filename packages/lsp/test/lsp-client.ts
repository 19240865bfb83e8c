/**
 * A test client that speaks LSP to a real `bglint lsp --stdio` process (the built CLI, as editors run
 * it), answers the server's requests as an editor would, and records what the server sends.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction, Diagnostic, DocumentDiagnosticReport, FullDocumentDiagnosticReport, InitializeResult, PublishDiagnosticsParams, Range, TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

const BIN = path.resolve(__dirname, '../../cli/bin/bglint.js');

export interface ClientOptions {
  /** Advertise `textDocument/diagnostic` (pull) support; otherwise the server must push. */
  pull: boolean;
  root: string;
  /** Workspace folders (default: the root alone). */
  folders?: string[];
  /** What `workspace/configuration` answers for the `bglint` section. */
  settings?: Record<string, unknown>;
  /** What it answers for a workspace folder's scope (by folder path), instead of `settings`. */
  folderSettings?: Record<string, Record<string, unknown>>;
  initializationOptions?: Record<string, unknown>;
  /** A script node loads before the server (`node -r`), to break a rule on purpose. */
  preload?: string;
}

interface Waiter<T> {
  matches: (value: T) => boolean;
  resolve: (value: T) => void;
}

/** Values that arrive over time, and promises for the first one that matches (past or future). */
class Inbox<T> {
  readonly all: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(value: T): void {
    this.all.push(value);
    for (const w of this.waiters.filter((x) => x.matches(value))) w.resolve(value);
    this.waiters = this.waiters.filter((x) => !x.matches(value));
  }

  next(matches: (value: T) => boolean, what: string, after = 0): Promise<T> {
    const seen = this.all.slice(after).find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.all).slice(-2000)}`)), 20_000);
      this.waiters.push({ matches, resolve: (v) => (clearTimeout(timer), resolve(v)) });
    });
  }
}

export class LspClient {
  readonly published = new Inbox<PublishDiagnosticsParams>();
  readonly messages = new Inbox<{ type: number; message: string }>();
  readonly logs = new Inbox<{ type: number; message: string }>();
  readonly shownDocuments = new Inbox<{ uri: string; external?: boolean }>();
  readonly registrations = new Inbox<{ method: string; registerOptions?: unknown }>();
  readonly refreshes = new Inbox<number>();
  initializeResult!: InitializeResult;
  private readonly texts = new Map<string, TextDocument>();
  private stderr = '';

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection, private readonly options: ClientOptions) {}

  static async start(options: ClientOptions): Promise<LspClient> {
    const args = [...(options.preload ? ['-r', options.preload] : []), BIN, 'lsp', '--stdio'];
    const child = spawn(process.execPath, args, { cwd: options.root, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options);
    child.stderr!.on('data', (d: Buffer) => (client.stderr += d.toString()));
    client.listen();
    connection.listen();
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(options.root),
      workspaceFolders: (options.folders ?? [options.root]).map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        window: { showDocument: { support: true } },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          synchronization: { didSave: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
        },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => this.published.push(p));
    c.onNotification('window/showMessage', (p) => this.messages.push(p));
    c.onRequest('window/showMessageRequest', (p) => (this.messages.push(p), null));
    c.onNotification('window/logMessage', (p) => this.logs.push(p));
    c.onRequest('window/showDocument', (p) => (this.shownDocuments.push(p), { success: true }));
    c.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      p.registrations.forEach((r) => this.registrations.push(r));
      return null;
    });
    c.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => p.items.map((item) => {
      const folder = item.scopeUri ? this.options.folderSettings?.[fileURLToPath(item.scopeUri)] : undefined;
      return folder ?? this.options.settings ?? null;
    }));
    c.onRequest('workspace/diagnostic/refresh', () => (this.refreshes.push(Date.now()), null));
    c.onRequest('window/workDoneProgress/create', () => null);
  }

  open(file: string, text: string, version = 1): string {
    const uri = uriOf(file);
    this.texts.set(uri, TextDocument.create(uri, languageIdOf(file), version, text));
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: languageIdOf(file), version, text } });
    return uri;
  }

  /** Sends edits as an editor does (ranged, incremental) and returns the new text. */
  change(uri: string, version: number, edits: TextEdit[]): string {
    const before = this.texts.get(uri)!;
    const after = TextDocument.create(uri, before.languageId, version, TextDocument.applyEdits(before, edits));
    this.texts.set(uri, after);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    return after.getText();
  }

  /** Replaces the whole text through one ranged edit. */
  replaceAll(uri: string, version: number, text: string): string {
    const doc = this.texts.get(uri)!;
    return this.change(uri, version, [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, newText: text }]);
  }

  text(uri: string): string {
    return this.texts.get(uri)!.getText();
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    this.texts.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The next diagnostics pushed for the document at exactly this version. */
  diagnosticsAt(uri: string, version: number): Promise<Diagnostic[]> {
    return this.published.next((p) => p.uri === uri && p.version === version, `diagnostics for ${uri} v${version}`).then((p) => p.diagnostics);
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report: DocumentDiagnosticReport = await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    return (report as FullDocumentDiagnosticReport).items;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  /** The document's text after applying a code action's edit (as the editor would). */
  applied(uri: string, action: CodeAction): string {
    const edits = action.edit?.changes?.[uri] ?? [];
    return TextDocument.applyEdits(this.texts.get(uri)!, edits);
  }

  watchedFilesChanged(changes: { file: string; type: 1 | 2 | 3 }[]): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uriOf(c.file), type: c.type })) });
  }

  /** shutdown, then exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.process.kill();
  }

  get serverStderr(): string {
    return this.stderr;
  }
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

function languageIdOf(file: string): string {
  return file.endsWith('.swift') ? 'swift' : 'objective-c';
}

/** A fresh folder with the given files, removed by the returned function. */
export function tempProject(files: Record<string, string>): { root: string; file: (rel: string) => string; remove: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-lsp-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return { root, file: (rel) => path.join(root, rel), remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
