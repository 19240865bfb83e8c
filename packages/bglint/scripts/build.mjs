/**
 * Builds the publishable `bglint` package from the workspace's compiled packages (run `tsc -b` first):
 *
 * - dist/cli.js (the command), dist/language-server.js (`bglint lsp`), dist/worker.js (worker
 *   threads), dist/index.js (the Node API): one bundle each, so a run resolves and reads one file
 *   instead of ~150 modules in 7 packages and their dependencies (measured in docs/benchmarks.md);
 * - prebuilds/<platform>-<arch>/: the prebuilt Node-API binaries of tree-sitter and its Swift and
 *   ObjC grammars, which those packages ship. The bundle loads them from there, so installing bglint
 *   runs no install script: tree-sitter-swift depends on tree-sitter-cli, whose install script
 *   downloads a binary from outside the npm registry, and pnpm refuses dependencies' build scripts;
 * - dist/index.d.ts and dist/types/: the API's declarations, with workspace imports made relative.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const packages = path.join(pkg, '..');
const dist = path.join(pkg, 'dist');

/** The native modules bglint loads (core depends on them). */
const NATIVE = ['tree-sitter', 'tree-sitter-swift', 'tree-sitter-objc'];

// The prebuilt binary for this machine, next to the bundle (`__dirname` is dist/ at run time).
const LOAD_NATIVE = `
const path = require('node:path');
module.exports = function loadNative(name) {
  const where = process.platform + '-' + process.arch;
  try {
    return require(path.join(__dirname, '..', 'prebuilds', where, name + '.node'));
  } catch (error) {
    throw new Error('bglint: cannot load the ' + name + ' parser for ' + where + ' (' + error.message + ')');
  }
};`;

/** tree-sitter's own index.js stays (its JS API over the binding); how it finds the binding changes. */
const nativePlugin = {
  name: 'bglint-native',
  setup(b) {
    b.onResolve({ filter: /^bglint-load-native$/ }, () => ({ path: 'load-native', namespace: 'bglint-native' }));
    b.onLoad({ filter: /^load-native$/, namespace: 'bglint-native' }, () => ({ contents: LOAD_NATIVE, loader: 'js' }));
    b.onLoad({ filter: /[/\\]tree-sitter[/\\]index\.js$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const binding = /^const binding = [^;]*;/m;
      if (!binding.test(source)) throw new Error(`${args.path}: where tree-sitter loads its binding has changed; update build.mjs`);
      return { contents: source.replace(binding, `const binding = require('bglint-load-native')('tree-sitter');`), loader: 'js', resolveDir: path.dirname(args.path) };
    });
    b.onResolve({ filter: /^tree-sitter-(swift|objc)$/ }, (args) => ({ path: args.path, namespace: 'bglint-grammar' }));
    b.onLoad({ filter: /.*/, namespace: 'bglint-grammar' }, (args) => ({
      contents: `module.exports = require('bglint-load-native')(${JSON.stringify(args.path)});`, loader: 'js', resolveDir: pkg,
    }));
    // The language server is a bundle of its own, loaded only by `bglint lsp` (main.js imports it lazily).
    b.onResolve({ filter: /^\.\/language-server$/ }, (args) => (args.importer.endsWith(`cli${path.sep}dist${path.sep}main.js`) ? { path: './language-server.js', external: true } : undefined));
    // The version comes from the installed package.json, read at run time (dist/../package.json).
    b.onResolve({ filter: /[/\\]?package\.json$/ }, (args) => (args.importer.includes(`${path.sep}dist${path.sep}`) || args.importer.includes(`${path.sep}build${path.sep}`) ? { path: '../package.json', external: true } : undefined));
  },
};

fs.rmSync(dist, { recursive: true, force: true });
fs.rmSync(path.join(pkg, 'prebuilds'), { recursive: true, force: true });

await build({
  entryPoints: {
    cli: path.join(packages, 'cli/dist/main.js'),
    'language-server': path.join(packages, 'cli/dist/language-server.js'),
    worker: path.join(packages, 'session/dist/worker.js'),
    index: path.join(pkg, 'build/index.js'),
  },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [nativePlugin],
});

copyPrebuilds();
copyDeclarations();
// The repository's license and changelog travel in the package (npm includes LICENSE on its own).
for (const file of ['LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(packages, '..', file), path.join(pkg, file));

function copyPrebuilds() {
  const requireFromCore = createRequire(path.join(packages, 'core/package.json'));
  for (const name of NATIVE) {
    const root = path.dirname(requireFromCore.resolve(`${name}/package.json`));
    for (const platform of fs.readdirSync(path.join(root, 'prebuilds'))) {
      const binary = path.join(root, 'prebuilds', platform, `${name}.node`);
      if (!fs.existsSync(binary)) throw new Error(`${name} ships no prebuilt binary for ${platform}`);
      fs.mkdirSync(path.join(pkg, 'prebuilds', platform), { recursive: true });
      fs.copyFileSync(binary, path.join(pkg, 'prebuilds', platform, `${name}.node`));
    }
  }
}

/**
 * dist/types/<package>/… holds the declarations of the workspace packages the API's types come from,
 * and tree-sitter's (core's syntax types mention it); every `@bglint/<name>` import is rewritten to a
 * relative path, so the types need nothing else installed.
 */
function copyDeclarations() {
  const types = path.join(dist, 'types');
  const sources = {
    bglint: path.join(pkg, 'build'),
    core: path.join(packages, 'core/dist'),
    project: path.join(packages, 'project/dist'),
    rules: path.join(packages, 'rules/dist'),
    formatters: path.join(packages, 'formatters/dist'),
    session: path.join(packages, 'session/dist'),
  };
  for (const [name, from] of Object.entries(sources)) {
    for (const file of declarationsUnder(from)) {
      const target = path.join(types, name, path.relative(from, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, relativeImports(fs.readFileSync(file, 'utf8'), path.dirname(target), types));
    }
  }
  const treeSitter = path.dirname(createRequire(path.join(packages, 'core/package.json')).resolve('tree-sitter/package.json'));
  // tree-sitter's declarations are an ambient `declare module 'tree-sitter'`: referenced, not imported.
  fs.copyFileSync(path.join(treeSitter, 'tree-sitter.d.ts'), path.join(types, 'tree-sitter.d.ts'));
  fs.writeFileSync(path.join(dist, 'index.d.ts'), `/// <reference path="./types/tree-sitter.d.ts" />\nexport * from './types/bglint/index';\n`);
}

function declarationsUnder(dir) {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.d.ts'));
}

function relativeImports(text, fromDir, types) {
  return text
    .replace(/(from |import\()(['"])@bglint\/([a-z-]+)\2/g, (_, lead, q, name) => `${lead}${q}${relative(fromDir, path.join(types, name, 'index'))}${q}`)
    // tree-sitter's types are `export =`: spelled so, they need no esModuleInterop in the user's tsconfig.
    .replace(/^import type (\w+) from 'tree-sitter';$/gm, "import $1 = require('tree-sitter');")
    .replace(/^\/\/# sourceMappingURL=.*$/m, '');
}

function relative(fromDir, to) {
  const rel = path.relative(fromDir, to).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
