'use strict';
/**
 * Loads a dist/ bundle as `require` does, through a V8 code cache. Compiling a 1 MB bundle, then its
 * functions as they first run, is a good part of a one-file run (docs/benchmarks.md), and Node 20 has
 * no `module.enableCompileCache()`. Nothing here may change what bglint prints or its exit code: any
 * failure means compiling as without a cache.
 *   BGLINT_NO_COMPILE_CACHE=1      plain `require`, no cache read or written
 *   BGLINT_DEBUG_COMPILE_CACHE=1   one line on stderr at exit: what was read, compiled, written
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

// The header line keeps the bundle's own lines and columns (lineOffset -1): stack traces stay right.
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {\n';

// The cache holds the functions compiled when it is written. It is written at exit when the run compiled
// at least this much bytecode after loading: a lint of one file compiles 130–400 KB without a cache,
// `--version` or a usage error 15–30 KB, a run the cache served 20–40 KB (node's own stream code counts
// too, and more of it for a pipe or a terminal than for a file). So a `--version` run leaves
// no cache that would make every lint compile most of its functions, and a run that needed much the
// cache lacked (an Info.plist cached, then a Swift file) rewrites it with those functions added.
const MIN_COMPILED = 96 * 1024;

exports.loadBundle = function loadBundle(name) {
  const file = path.join(__dirname, '..', 'dist', name);
  if (process.env.BGLINT_NO_COMPILE_CACHE) return require(file);
  const source = fs.readFileSync(file);
  // Keyed by the bundle's bytes, node and V8 (its flags too): another bglint or node never reads this one.
  const tag = v8.cachedDataVersionTag();
  const cacheName = `${name}-${sha256(source, `${process.version} ${process.arch} ${tag}`).toString('hex').slice(0, 24)}.cache`;
  const dirs = cacheDirs();
  const report = { bundle: name, read: null, rejected: false, compiled: null, wrote: null };
  let cachedData;
  for (const dir of dirs) {
    cachedData = usable(dir, false) ? readCache(path.join(dir, cacheName)) : undefined;
    if (cachedData) {
      report.read = path.join(dir, cacheName);
      break;
    }
  }
  // importModuleDynamically: an `import()` in a bundle (none today) works as it does under `require`.
  const script = new vm.Script(`${WRAPPER}${source.toString('utf8')}\n})`, {
    filename: file, lineOffset: -1, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  report.rejected = Boolean(cachedData && script.cachedDataRejected);
  const bundle = { exports: {} };
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
  const loaded = bytecodeSize();
  process.once('exit', () => {
    try {
      report.compiled = bytecodeSize() - loaded;
      // Flags set since loading (a worker's --expose-gc) would make V8 reject the data: none then.
      if (report.compiled >= MIN_COMPILED && v8.cachedDataVersionTag() === tag) report.wrote = writeCache(script, dirs, name, cacheName);
    } catch {
      // no cache this time
    }
  });
  if (process.env.BGLINT_DEBUG_COMPILE_CACHE) process.once('exit', () => fs.writeSync(2, `bglint compile cache: ${JSON.stringify(report)}\n`));
  return bundle.exports;
};

/** node_modules/.cache/bglint of the project bglint is installed in (pnpm's store too), else the temp folder. */
function cacheDirs() {
  const pkg = path.dirname(__dirname);
  const at = pkg.indexOf(`${path.sep}node_modules${path.sep}`);
  const nodeModules = at >= 0 ? pkg.slice(0, at + '/node_modules'.length) : path.join(pkg, 'node_modules');
  return [path.join(nodeModules, '.cache', 'bglint'), path.join(os.tmpdir(), `bglint-${process.getuid?.() ?? 'user'}`)];
}

/** Only a folder of this user's that no one else can write to: V8 would run whatever code the cache holds. */
function usable(dir, create) {
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && (process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

/** The file is a SHA-256 of the V8 data, then the data: V8 crashes on corrupt data rather than rejecting it. */
function readCache(file) {
  try {
    const bytes = fs.readFileSync(file);
    const data = bytes.subarray(32);
    return data.length > 0 && sha256(data).equals(bytes.subarray(0, 32)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a reader never sees half a file; older caches of the bundle go. */
function writeCache(script, dirs, name, cacheName) {
  let data;
  for (const dir of dirs) {
    if (!usable(dir, true)) continue;
    data ??= script.createCachedData(); // 25–40 ms after a lint: only once a folder can take it
    const file = path.join(dir, cacheName);
    const temporary = `${file}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(temporary, Buffer.concat([sha256(data), data]), { mode: 0o600 });
      fs.renameSync(temporary, file);
    } catch {
      fs.rmSync(temporary, { force: true });
      continue;
    }
    for (const old of fs.readdirSync(dir)) {
      if (old.startsWith(`${name}-`) && old !== cacheName) fs.rmSync(path.join(dir, old), { force: true });
    }
    return file;
  }
  return null;
}

/** Bytecode in the heap, deserialized or compiled (V8 counts it over the heap: about 1 ms). */
function bytecodeSize() {
  return v8.getHeapCodeStatistics().bytecode_and_metadata_size;
}

function sha256(...parts) {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
