/**
 * The language server lints each open buffer with the buffer's previous tree (`ParseCache`), so an
 * edit re-parses only what it touched. Whatever the edits, the findings and notices must be those of
 * a fresh lint of the same text: seeded random edit sequences over the fixtures' Swift and
 * Objective-C files, compared after every edit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageOf, lexFile, lintSource, ParseCache, ProjectIndex } from '@bglint/core';
import type { EnabledRule, FileFacts, FileResult, Language } from '@bglint/core';
import { allRules } from '@bglint/rules';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const APPS = ['BackgroundTasksApp', 'CleanApp', 'LegacyObjCApp', 'TrailmixApp'];
const RULES: EnabledRule[] = allRules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
const EDITS_PER_FILE = 12;

/** Statements typed into the text: task APIs (so findings come and go), plain code and fragments. */
const SWIFT_STATEMENTS = [
  'UIApplication.shared.endBackgroundTask(refreshTask)',
  'let id = UIApplication.shared.beginBackgroundTask(withName: "typed") {}',
  'DispatchQueue.main.async { self.finish() }',
  'let value = 2 * 3',
  'if ready {',
  '}',
  'try BGTaskScheduler.shared.submit(request)',
];
const OBJC_STATEMENTS = [
  '[[UIApplication sharedApplication] endBackgroundTask:self.bgTask];',
  'UIBackgroundTaskIdentifier t = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{}];',
  'dispatch_async(dispatch_get_main_queue(), ^{ [self finish]; });',
  'int value = 2 * 3;',
  'if (ready) {',
  '}',
];

interface Source {
  file: string;
  language: Language;
  text: string;
}

const sources: Source[] = APPS.flatMap((app) => filesUnder(path.join(FIXTURES, app))).flatMap((file) => {
  const language = languageOf(file);
  return language ? [{ file, language, text: fs.readFileSync(file, 'utf8') }] : [];
});

/** Every fixture file's lexical facts; the edited file's own come from its current text (as in the server). */
const facts = new Map<string, FileFacts>(sources.map((s) => [s.file, lexFile(s.file, s.text, s.language)]));

function indexWith(source: Source, text: string): ProjectIndex {
  const index = new ProjectIndex();
  for (const [file, fileFacts] of facts) index.addFacts(file === source.file ? lexFile(file, text, source.language) : fileFacts);
  return index;
}

/**
 * With the buffer's cache, the server lints as the session host does: the view of untouched
 * declarations kept. A fresh lint parses afresh. (Both run only the rules whose triggers the text
 * holds, as lintSource always does; packages/cli/test/prefilter.test.ts shows that loses nothing.)
 */
function lint(source: Source, text: string, index: ProjectIndex, parseCache: ParseCache): Pick<FileResult, 'findings' | 'notices'> {
  const { findings, notices } = lintSource({ file: source.file, text, language: source.language, rules: RULES, index, parseCache });
  return { findings, notices };
}

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Edit = (text: string, pick: (n: number) => number, source: Source) => string;

const lineStarts = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
const splice = (text: string, at: number, remove: number, insert: string) => text.slice(0, at) + insert + text.slice(at + remove);

const EDITS: Edit[] = [
  (text, pick) => splice(text, pick(text.length + 1), 0, '{}();: ax"@['[pick(12)]!),
  (text, pick) => splice(text, pick(text.length), 1, ''),
  (text, pick) => {
    const starts = lineStarts(text);
    const line = pick(starts.length);
    const end = text.indexOf('\n', starts[line]!);
    return splice(text, starts[line]!, (end === -1 ? text.length : end + 1) - starts[line]!, '');
  },
  (text, pick, source) => {
    const starts = lineStarts(text);
    const statements = source.language === 'swift' ? SWIFT_STATEMENTS : OBJC_STATEMENTS;
    return splice(text, starts[pick(starts.length)]!, 0, `        ${statements[pick(statements.length)]}\n`);
  },
  // Toggle an end of a background task: delete the line that ends one, or type one back after a `{`.
  (text, pick, source) => {
    const ends = [...text.matchAll(/^.*endBackgroundTask.*\n/gm)];
    if (ends.length > 0 && pick(2) === 0) {
      const line = ends[pick(ends.length)]!;
      return splice(text, line.index!, line[0].length, '');
    }
    const opens = [...text.matchAll(/\{\n/g)];
    if (opens.length === 0) return text;
    const statement = source.language === 'swift' ? SWIFT_STATEMENTS[0]! : OBJC_STATEMENTS[0]!;
    return splice(text, opens[pick(opens.length)]!.index! + 2, 0, `        ${statement}\n`);
  },
];

describe.each(sources.map((s) => [path.relative(FIXTURES, s.file), s] as const))('%s', (_name, source) => {
  test('random edits: the incremental lint equals a fresh lint after each edit', () => {
    const pick = random(hash(path.relative(FIXTURES, source.file))); // the same sequence in every checkout
    const cache = new ParseCache();
    let text = source.text;
    lint(source, text, indexWith(source, text), cache);
    for (let i = 0; i < EDITS_PER_FILE; i++) {
      text = EDITS[pick(EDITS.length)]!(text, pick, source);
      const index = indexWith(source, text);
      expect({ edit: i, ...lint(source, text, index, cache) }).toEqual({ edit: i, ...lint(source, text, index, new ParseCache()) });
    }
  });
});

/** Ends a task begun in another method (`refresh` begins it, `finish` ends it): the finding comes and goes. */
test.each([
  ['BackgroundTasksApp/BackgroundTasksApp/SyncService.swift', '        UIApplication.shared.endBackgroundTask(refreshTask)\n', 'refreshTask = UIApplication'],
  ['CleanApp/CleanApp/CLNUploader.m', '    [[UIApplication sharedApplication] endBackgroundTask:self.bgTask];\n', 'self.bgTask = [[UIApplication'],
])('%s: deleting and restoring the end in the other method, keystroke by keystroke, matches fresh lints', (rel, endLine, beginning) => {
  const source = sources.find((s) => s.file === path.join(FIXTURES, rel))!;
  const at = source.text.indexOf(endLine);
  expect(at).toBeGreaterThan(-1);
  const beginLine = lineOf(source.text, source.text.indexOf(beginning));
  const unbalancedAtBegin = (result: Pick<FileResult, 'findings'>) => result.findings.some((f) => f.ruleId.startsWith('background-task') && f.range.start.line === beginLine);
  const cache = new ParseCache();
  const states: string[] = [];
  for (let kept = endLine.length - 1; kept >= 0; kept -= 3) states.push(splice(source.text, at + kept, endLine.length - kept, ''));
  for (let kept = 0; kept <= endLine.length; kept += 4) states.push(splice(source.text, at + kept, endLine.length - kept, ''));
  states.push(source.text);
  const seen: boolean[] = [];
  lint(source, source.text, indexWith(source, source.text), cache);
  for (const text of states) {
    const index = indexWith(source, text);
    const incremental = lint(source, text, index, cache);
    expect(incremental).toEqual(lint(source, text, index, new ParseCache()));
    seen.push(unbalancedAtBegin(incremental));
  }
  expect(seen[seen.length - 1]).toBe(false); // balanced as written
  expect(seen).toContain(true); // the finding appears while the end is gone
});

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  }).sort();
}
