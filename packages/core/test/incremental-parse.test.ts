/**
 * Incremental parsing (the language server's open buffers): re-parsing with the old tree must give
 * the tree a fresh parse gives. Tree-sitter promises that for text that parses; while the text has
 * errors its recovery may differ, so those states are compared once typing makes the text whole again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParseCache, parseSource } from '@bglint/core';
import type { Language } from '@bglint/core';

const fixtures = path.resolve(__dirname, '../../../fixtures');
const SWIFT = fs.readFileSync(path.join(fixtures, 'BackgroundTasksApp/BackgroundTasksApp/SyncService.swift'), 'utf8');
const TYPED = '        let label = "🚀 漢字"; UIApplication.shared.beginBackgroundTask(withName: label) {}\n';

function fresh(text: string, language: Language) {
  const cache = new ParseCache();
  const parsed = parseSource(text, language, { cache });
  return { tree: cache.tree!.rootNode.toString(), unreadable: parsed.ok ? parsed.file.unreadable : 'timeout' };
}

function incremental(text: string, language: Language, cache: ParseCache) {
  const parsed = parseSource(text, language, { cache });
  return { tree: cache.tree!.rootNode.toString(), unreadable: parsed.ok ? parsed.file.unreadable : 'timeout' };
}

/** Where typing happens: the start of the line after the first `{` that ends a line inside a function. */
const typingAt = SWIFT.indexOf('\n', SWIFT.indexOf('{\n', SWIFT.indexOf('func '))) + 1;

test('typing a statement keystroke by keystroke (emoji, CJK) and deleting it again matches fresh parses', () => {
  expect(fresh(SWIFT, 'swift').unreadable).toEqual([]);
  const cache = new ParseCache();
  incremental(SWIFT, 'swift', cache);
  const keystrokes = [...TYPED]; // code points: an emoji is one keystroke, two UTF-16 units
  let typed = '';
  const states: string[] = [];
  for (const key of keystrokes) states.push(SWIFT.slice(0, typingAt) + (typed += key) + SWIFT.slice(typingAt));
  for (const key of keystrokes.reverse()) states.push(SWIFT.slice(0, typingAt) + (typed = typed.slice(0, -key.length)) + SWIFT.slice(typingAt));
  let compared = 0;
  for (const text of states) {
    const got = incremental(text, 'swift', cache);
    if (got.unreadable.length > 0) continue; // error recovery may differ; compared once whole again
    expect(got).toEqual(fresh(text, 'swift'));
    compared++;
  }
  expect(compared).toBeGreaterThan(2); // the whole statement, the original text, and states between
  expect(states[states.length - 1]).toBe(SWIFT);
  expect(incremental(SWIFT, 'swift', cache)).toEqual(fresh(SWIFT, 'swift')); // back where it started
});

test('one-character edits anywhere in a valid file give the fresh tree whenever the result parses', () => {
  let compared = 0;
  for (let at = 0; at < SWIFT.length; at += 191) {
    for (const edit of [(t: string) => t.slice(0, at) + ' ' + t.slice(at), (t: string) => t.slice(0, at) + t.slice(at + 1)]) {
      const cache = new ParseCache();
      incremental(SWIFT, 'swift', cache);
      const text = edit(SWIFT);
      const expected = fresh(text, 'swift');
      if (expected.unreadable.length > 0) continue;
      expect(incremental(text, 'swift', cache)).toEqual(expected);
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(5);
});

test('a cache from another language is not reused', () => {
  const cache = new ParseCache();
  parseSource(SWIFT, 'swift', { cache });
  const objc = '@implementation A\n- (void)go { [self run]; }\n@end\n';
  expect(incremental(objc, 'objc', cache)).toEqual(fresh(objc, 'objc'));
});
