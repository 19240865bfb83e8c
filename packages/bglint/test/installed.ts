/**
 * The `bglint` package as users get it: built, packed with npm, and installed from the tarball into a
 * scratch project outside the workspace (npm or pnpm), with a copy of a fixture app to lint.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
const packageDir = path.resolve(__dirname, '..');

export function sh(command: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', input, timeout: 240_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function mustRun(command: string, args: string[], cwd: string): string {
  const result = sh(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

/** Builds the bundle and packs it (the workspace's tsc build has run: `pnpm test` starts with it). */
export function packTarball(into: string): string {
  mustRun(process.execPath, ['scripts/build.mjs'], packageDir);
  const out = mustRun('npm', ['pack', '--json', '--pack-destination', into], packageDir);
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return path.join(into, path.basename(filename));
}

/** A new project in the temp folder holding a copy of a fixture app, with `tarball` installed by `client`. */
export function installInScratch(tarball: string, client: 'npm' | 'pnpm'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bglint-installed-${client}-`));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch-ios-app', version: '1.0.0', private: true }));
  fs.cpSync(path.join(repoRoot, 'fixtures/BackgroundTasksApp'), path.join(dir, 'App'), { recursive: true });
  if (client === 'npm') mustRun('npm', ['install', '--save-dev', '--no-audit', '--no-fund', tarball], dir);
  else mustRun('npx', ['--yes', 'pnpm@12.4.2', 'add', '--save-dev', tarball], dir);
  return dir;
}

export interface ServerReply {
  id?: number;
  result?: { capabilities?: Record<string, unknown>; serverInfo?: { name: string; version?: string } };
}

/**
 * Starts `npx bglint lsp --stdio` in `dir`, sends `initialize`, and resolves with the reply once the
 * server and everything npx started for it have exited. npx runs the bin through `sh -c`, and a SIGTERM
 * to npx leaves the node server orphaned with our stdout pipe open (so jest never exits): the server
 * gets its own process group, and the whole group is killed.
 */
export function initializeLanguageServer(dir: string): Promise<ServerReply> {
  const server = spawn('npx', ['bglint', 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const killGroup = () => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      // the group has already exited
    }
  };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: `file://${dir}`, capabilities: {}, workspaceFolders: null } });
  server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  return new Promise((resolve, reject) => {
    let reply: ServerReply | undefined;
    const timer = setTimeout(() => (killGroup(), reject(new Error('no answer to initialize in 20 s'))), 20_000);
    let buffer = Buffer.alloc(0);
    server.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let message = nextMessage(); message && !reply; message = nextMessage()) {
        if (message.id !== 1) continue;
        reply = message;
        clearTimeout(timer);
        server.stdin.end();
        killGroup();
      }
    });
    // 'close' comes once the process has exited and its stdio pipes are closed: nothing of it is left.
    server.on('close', (code) => {
      clearTimeout(timer);
      if (reply) resolve(reply);
      else reject(new Error(`the server exited (${code}) before answering`));
    });
    function nextMessage(): ServerReply | undefined {
      const text = buffer.toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = /Content-Length: (\d+)/i.exec(text.slice(0, headerEnd))?.[1];
      if (headerEnd < 0 || !length || buffer.length < headerEnd + 4 + Number(length)) return undefined;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + Number(length)).toString('utf8')) as ServerReply;
      buffer = buffer.subarray(headerEnd + 4 + Number(length));
      return message;
    }
  });
}
