#!/usr/bin/env node
/**
 * `node scripts/index-soundness.mjs [labels.json | folder]... [--mirrors DIR] [--work DIR]`: lints real
 * code three times with every rule enabled: with the index built on demand (the default), from every
 * file (`fullIndex`), and counting every trigger whatever the project holds (`allTriggers`, which turns
 * off `RuleMeta.triggersWhen`); reports any file whose findings or notices differ from the default's, with
 * how many files the on-demand index lexed and how many files were parsed with and without index-aware triggers. A labels file (`{ repos: [{ repo, commit }] }`, as ../shared/realcode
 * uses) names repos extracted from their bare mirrors at `<mirrors>/<owner>+<name>/repo` into the work
 * folder (sources and project files only; never commit them); a folder is linted as it is.
 * Exit 1 when any repo differs. Build first (`npx tsc -b packages/cli`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { runLint } = require(path.join(root, 'packages/session/dist/index.js'));
const { allRules } = require(path.join(root, 'packages/rules/dist/index.js'));

const args = { inputs: [], mirrors: process.env.MIRRORS ?? '/work/.mirror', work: path.join(os.tmpdir(), 'bglint-index-soundness') };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--mirrors') args.mirrors = process.argv[++i];
  else if (a === '--work') args.work = process.argv[++i];
  else args.inputs.push(a);
}

const EXTENSIONS = ['swift', 'm', 'mm', 'h', 'plist', 'entitlements', 'pbxproj'];

/** The repo's sources at `commit` in the work folder (file by file: snapshots may lack large objects). */
function extract(repo, commit) {
  const dest = path.join(args.work, repo.replace('/', '__'), commit.slice(0, 12));
  if (fs.existsSync(path.join(dest, '.extracted'))) return dest;
  let gitDir = path.join(args.mirrors, repo.replace('/', '+'), 'repo');
  if (fs.existsSync(path.join(gitDir, '.git'))) gitDir = path.join(gitDir, '.git');
  try {
    execFileSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  fs.rmSync(dest, { recursive: true, force: true });
  const listing = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', commit], { maxBuffer: 1 << 28 }).toString().split('\n');
  const wanted = listing.map((l) => /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(l)).filter((m) => m && EXTENSIONS.some((e) => m[2].endsWith(`.${e}`)));
  const batch = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: wanted.map((m) => m[1]).join('\n') + '\n', maxBuffer: 1 << 30 });
  let at = 0;
  for (const m of wanted) {
    const header = batch.toString('latin1', at, batch.indexOf(10, at));
    at += header.length + 1;
    if (header.endsWith('missing')) continue;
    const size = Number(header.split(' ')[2]);
    const file = path.join(dest, m[2]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, batch.subarray(at, at + size));
    at += size + 1;
  }
  fs.writeFileSync(path.join(dest, '.extracted'), '');
  return dest;
}

const everyRule = Object.fromEntries(allRules.map((r) => [r.meta.id, { severity: 'warning', options: {} }]));

/** What a parse says about a file: a file the prefilter skips is never parsed, so it has none of these. */
const PARSE_NOTICES = new Set(['parse-error', 'too-deep', 'timeout']);

function lint(dir, fullIndex, cache, allTriggers = false, skippedBy = undefined) {
  const report = runLint({ cwd: dir, paths: ['.'], noConfig: true, cliRules: everyRule, reportUnusedDirectives: false, fullIndex, cache, allTriggers });
  // Compared with a run that skipped more files (`skippedBy`): those files' parse notices are left out.
  const noticesOf = (r) => (skippedBy?.has(r.file) ? r.notices.filter((n) => !PARSE_NOTICES.has(n.kind)) : r.notices);
  const byFile = new Map(report.results.map((r) => [r.file, JSON.stringify({ findings: r.findings, notices: noticesOf(r) })]));
  const skipped = new Set(report.results.filter((r) => r.skipped).map((r) => r.file));
  // A parse that ran out of time (a loaded machine) is not the index's doing: such files are counted apart.
  const timedOut = new Set(report.results.filter((r) => r.notices.some((n) => n.kind === 'timeout')).map((r) => r.file));
  const parsed = report.results.filter((r) => !r.skipped).length;
  return { byFile, timedOut, parsed, skipped, notices: JSON.stringify(report.notices), findings: report.results.reduce((n, r) => n + r.findings.length, 0) };
}

const targets = [];
for (const input of args.inputs) {
  if (fs.statSync(input).isDirectory()) targets.push({ name: input, dir: path.resolve(input) });
  else for (const { repo, commit } of JSON.parse(fs.readFileSync(input, 'utf8')).repos) targets.push({ name: `${repo}@${commit.slice(0, 7)}`, repo, commit });
}

let differing = 0;
const seen = new Set();
for (const t of targets) {
  if (seen.has(t.name)) continue;
  seen.add(t.name);
  const dir = t.dir ?? extract(t.repo, t.commit);
  if (!dir) {
    console.log(`${t.name}: no mirror, skipped`);
    continue;
  }
  const cacheFile = path.join(os.tmpdir(), `bglint-index-soundness-${process.pid}.json`);
  fs.rmSync(cacheFile, { force: true });
  const onDemand = lint(dir, false, { location: cacheFile, version: 'soundness' });
  const entries = Object.values(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).entries);
  fs.rmSync(cacheFile, { force: true });
  const full = lint(dir, true, undefined);
  const allTriggers = lint(dir, false, undefined, true, onDemand.skipped);
  const files = new Set([...onDemand.byFile.keys(), ...full.byFile.keys(), ...allTriggers.byFile.keys()]);
  const timedOut = [...files].filter((f) => onDemand.timedOut.has(f) || full.timedOut.has(f) || allTriggers.timedOut.has(f));
  const diff = [...files].filter((f) => !timedOut.includes(f) && (onDemand.byFile.get(f) !== full.byFile.get(f) || onDemand.byFile.get(f) !== allTriggers.byFile.get(f)));
  if (onDemand.notices !== full.notices || onDemand.notices !== allTriggers.notices) diff.push('(run notices)');
  const lexed = entries.filter((e) => e.scan.facts).length;
  console.log(`${t.name}: ${diff.length ? `DIFFERS in ${diff.length} files: ${diff.slice(0, 5).join(', ')}` : 'same'} — ${full.findings} findings; lexed ${lexed} of ${entries.length} sources; parsed ${onDemand.parsed} (every trigger counting: ${allTriggers.parsed})${timedOut.length ? `; ${timedOut.length} files not compared (parse time limit: ${timedOut.join(', ')})` : ''}`);
  if (diff.length) differing++;
}
process.exit(differing ? 1 : 0);
