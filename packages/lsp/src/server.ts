/**
 * The language server: open Swift/ObjC buffers linted as they change, diagnostics pulled by clients
 * that can (`textDocument/diagnostic`) and pushed with their version to those that cannot, code
 * actions, and configs and project files watched so no finding outlives the file it came from.
 */
import {
  CodeActionKind, DidChangeWatchedFilesNotification, FileChangeType, ProposedFeatures, TextDocumentSyncKind, TextDocuments, createConnection,
} from 'vscode-languageserver/node';
import type { ClientCapabilities, Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules, ruleSummary } from '@bglint/rules';
import { codeActions, FIX_ALL_KIND, SHOW_DOCUMENTATION_COMMAND } from './code-actions';
import { ConfigProblems } from './config-problems';
import { Debouncer } from './debouncer';
import { DocumentLinter } from './document-linter';
import type { LintedVersion } from './document-linter';
import { Folders } from './folders';
import { tuneHeapForEditing } from './heap';
import type { LintHost } from './host';
import { DEFAULT_SETTINGS, readSettings } from './settings';
import type { Settings } from './settings';
import { URI } from './uri';
import { isConfigFile, isSourceFile, WATCHERS } from './watched-files';

const DOCS_URLS = new Map(allRules.map((r) => [r.meta.id, ruleSummary(r).docsUrl]));
const docsUrl = (ruleId: string) => DOCS_URLS.get(ruleId) ?? '';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TRANSPORT_FLAG = /^--(stdio|node-ipc|socket|pipe)\b/;

/** Starts serving on the transport named on the command line (--stdio, --node-ipc, --socket=N), else stdio. */
export function startServer(host: LintHost): void {
  tuneHeapForEditing();
  const connection = process.argv.some((arg) => TRANSPORT_FLAG.test(arg))
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new LanguageServer(host, connection).listen();
}

class LanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly debouncer = new Debouncer();
  private readonly configProblems: ConfigProblems;
  private readonly folders: Folders;
  private readonly linter: DocumentLinter;
  private settings: Settings = DEFAULT_SETTINGS;
  /** Each workspace folder's own settings, where the client scopes them (configFile, rules). */
  private folderSettings = new Map<string, Settings>();
  private capabilities: ClientCapabilities = {};
  /** Documents opened but not yet linted (their first change event is the open itself). */
  private readonly justOpened = new Set<string>();
  /** Settled once the client's settings are in, so the first diagnostics already follow them. */
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(private readonly host: LintHost, private readonly connection: Connection) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.configProblems = new ConfigProblems(connection);
    this.folders = new Folders(host, (root) => this.folderSettings.get(root) ?? this.settings);
    this.linter = new DocumentLinter({
      folders: this.folders,
      onConfigError: (error) => this.configProblems.report(error),
      log: (message) => connection.console.warn(message),
      docsUrl,
    });
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.inBackground(this.initialized()));
    connection.onDidChangeConfiguration((params) => this.inBackground(this.loadSettings(params.settings)));
    connection.onDidChangeWatchedFiles(({ changes }) => this.watchedFilesChanged(changes));
    connection.onCodeAction((params) => {
      const document = documents.get(params.textDocument.uri);
      const linted = document && this.settings.enable ? this.lint(document) : undefined;
      if (!document || !linted) return [];
      return codeActions({ document, result: linted.result, range: params.range, only: params.context.only, docsUrl });
    });
    connection.onExecuteCommand((params) => this.executeCommand(params.command, params.arguments ?? []));
    connection.languages.diagnostics.on(async (params) => {
      await this.ready;
      const document = documents.get(params.textDocument.uri);
      if (!document || !this.settings.enable) return { kind: 'full', items: [] };
      // onSave: what was linted at open or the last save, until the next save.
      const linted = (this.settings.run === 'onSave' ? this.linter.last(document.uri) : undefined) ?? this.lint(document);
      return { kind: 'full', items: linted?.diagnostics ?? [] };
    });
    connection.onShutdown(() => this.debouncer.cancelAll());
    documents.onDidOpen(({ document }) => {
      this.justOpened.add(document.uri);
      this.lintSoon(document.uri, 0);
    });
    documents.onDidChangeContent(({ document }) => {
      if (this.justOpened.delete(document.uri)) return;
      if (this.settings.run === 'onType') this.lintSoon(document.uri, this.settings.debounceMs);
    });
    documents.onDidSave(({ document }) => {
      const file = URI.toPath(document.uri);
      if (file && isSourceFile(file)) this.sourcesChanged([file]);
      if (this.settings.run !== 'onSave') return;
      if (this.pullMode) this.lint(document);
      this.lintSoon(document.uri, 0);
    });
    documents.onDidClose(({ document }) => this.closed(document.uri));
    documents.listen(connection);
    connection.listen();
  }

  private get pullMode(): boolean {
    return Boolean(this.capabilities.textDocument?.diagnostic);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders.setRoots(folders.flatMap((uri) => URI.toPath(uri) ?? []));
    // Some clients (Helix) send the whole settings tree, `{ bglint: {…} }`; others just the section.
    const options = params.initializationOptions as { bglint?: unknown } | undefined;
    this.settings = readSettings(options?.bglint ?? options);
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: [SHOW_DOCUMENTATION_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...(this.pullMode ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'bglint' },
    };
  }

  private async initialized(): Promise<void> {
    try {
      if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHERS });
      }
      if (this.capabilities.workspace?.workspaceFolders) {
        this.connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
          const paths = (folders: { uri: string }[]) => folders.flatMap((f) => URI.toPath(f.uri) ?? []);
          this.folders.changeRoots(paths(added), paths(removed));
          this.projectChanged();
        });
      }
      await this.loadSettings();
    } finally {
      this.markReady();
    }
  }

  /**
   * Settings from `workspace/configuration` when the client has it (once unscoped, once per workspace
   * folder), else from the notification's payload.
   */
  private async loadSettings(pushed?: unknown): Promise<void> {
    const before = this.settingsSnapshot();
    if (this.capabilities.workspace?.configuration) {
      const roots = this.folders.workspaceRoots;
      const scopes = [{ section: 'bglint' }, ...roots.map((root) => ({ scopeUri: URI.fromPath(root), section: 'bglint' }))];
      const [global, ...perFolder] = (await this.connection.workspace.getConfiguration(scopes)) as unknown[];
      if (global !== undefined && global !== null) this.settings = readSettings(global);
      this.folderSettings = new Map(roots.flatMap((root, i) => (perFolder[i] ? [[root, readSettings(perFolder[i])] as const] : [])));
    } else {
      const fromClient = (pushed as { bglint?: unknown } | undefined)?.bglint;
      if (fromClient !== undefined && fromClient !== null) this.settings = readSettings(fromClient);
    }
    // Clients announce configuration changes of any extension; re-lint only when ours changed.
    if (this.settingsSnapshot() !== before) this.projectChanged();
  }

  private settingsSnapshot(): string {
    return JSON.stringify([this.settings, [...this.folderSettings]]);
  }

  private watchedFilesChanged(changes: { uri: string; type: FileChangeType }[]): void {
    const files = changes.flatMap((c) => (URI.toPath(c.uri) ?? []) as string[]);
    const sources = files.filter(isSourceFile);
    if (sources.length === files.length) return this.sourcesChanged(sources);
    for (const change of changes) {
      const file = URI.toPath(change.uri);
      if (!file || !isConfigFile(file)) continue;
      const error = change.type === FileChangeType.Deleted ? undefined : this.host.checkConfigFile(file);
      if (error) this.configProblems.report(error);
      else this.configProblems.clear(file);
    }
    sources.forEach((file) => this.host.sourceChanged(file));
    this.projectChanged();
  }

  /** Sources changed on disk: the index follows, and open documents are linted against it again. */
  private sourcesChanged(files: string[]): void {
    files.forEach((file) => this.host.sourceChanged(file));
    this.linter.invalidateAll();
    this.relintOpenDocuments();
  }

  /** Configs, project files or settings changed: lint every open document again. */
  private projectChanged(): void {
    this.folders.reload();
    this.linter.invalidateAll();
    this.relintOpenDocuments();
  }

  private relintOpenDocuments(): void {
    if (this.pullMode) {
      if (this.capabilities.workspace?.diagnostics?.refreshSupport) this.inBackground(this.connection.languages.diagnostics.refresh());
      return;
    }
    for (const document of this.documents.all()) this.lintSoon(document.uri, 0);
  }

  private lintSoon(uri: string, delayMs: number): void {
    if (this.pullMode) return;
    this.debouncer.schedule(uri, delayMs, () => this.inBackground(this.publish(uri)));
  }

  /** Push mode: lint, let queued edits and closes arrive, and publish only if the version is still current. */
  private async publish(uri: string): Promise<void> {
    await this.ready;
    const document = this.documents.get(uri);
    if (!document) return;
    const linted = this.settings.enable ? this.lint(document) : undefined;
    await new Promise((resolve) => setImmediate(resolve));
    const current = this.documents.get(uri);
    if (!current || current.version !== document.version) return;
    await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: linted?.diagnostics ?? [] });
  }

  /** Lints the document's text, after giving that text to the cross-file index (once per lint, not per keystroke). */
  private lint(document: TextDocument): LintedVersion | undefined {
    this.bufferChanged(document.uri, document.getText());
    return this.linter.lint(document);
  }

  /**
   * The index reads open buffers, not the disk. When an edit changes what the file declares, the other
   * open documents that mention one of its types are linted again (all of them when globals or task
   * registrations changed); with run onSave they wait for the save, which re-lints every document.
   */
  private bufferChanged(uri: string, text: string | undefined): void {
    const file = URI.toPath(uri);
    if (!file || !isSourceFile(file)) return;
    const change = this.host.bufferChanged(file, text);
    if (this.settings.run !== 'onType' || (!change.all && change.types.length === 0)) return;
    const mentions = new RegExp(`\\b(?:${change.types.map(escapeRegExp).join('|')})\\b`);
    const affected = this.documents.all().filter((d) => d.uri !== uri && (change.all || mentions.test(d.getText())));
    if (affected.length === 0) return;
    affected.forEach((d) => this.linter.invalidate(d.uri));
    if (this.pullMode) return this.relintOpenDocuments();
    for (const document of affected) this.lintSoon(document.uri, this.settings.debounceMs);
  }

  private closed(uri: string): void {
    this.bufferChanged(uri, undefined);
    this.justOpened.delete(uri);
    this.debouncer.cancel(uri);
    this.linter.forget(uri);
    if (!this.pullMode) this.inBackground(this.connection.sendDiagnostics({ uri, diagnostics: [] }));
  }

  private async executeCommand(command: string, args: unknown[]): Promise<void> {
    if (command !== SHOW_DOCUMENTATION_COMMAND || typeof args[0] !== 'string') return;
    if (this.capabilities.window?.showDocument?.support) await this.connection.window.showDocument({ uri: args[0], external: true });
    else this.inBackground(Promise.resolve(this.connection.window.showInformationMessage(`bglint documentation: ${args[0]}`)));
  }

  /** Work nobody awaits (timers, notifications): a failure is logged, never an unhandled rejection. */
  private inBackground(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.connection.console.error(`bglint: ${(error as Error)?.stack ?? error}`));
  }
}
