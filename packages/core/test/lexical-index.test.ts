/** The project index reads declarations without parsing: attributes and modifiers as people write them. */
import * as fs from 'fs';
import * as path from 'path';
import { ProjectIndex, keysOf, languageOf, lexFile, outlineFile, stripCommentsAndStrings } from '@bglint/core';
import type { FileFacts, IndexedMethod } from '@bglint/core';

function methodsOf(code: string) {
  const index = new ProjectIndex();
  index.addFile('A.swift', code, 'swift');
  return Object.fromEntries(index.type('A')!.methods.map((m) => [m.name, { attributes: m.attributes, nonisolated: m.nonisolated }]));
}

describe('lexical index', () => {
  it('finds attributes and modifiers on the declaration line and on lines of their own above it', () => {
    const methods = methodsOf([
      'final class A {',
      '  @MainActor func inline() {}',
      '',
      '  @MainActor',
      '  // Touches the view model.',
      '  @discardableResult',
      '  func above() -> Bool { true }',
      '',
      '  nonisolated',
      '  private func detached() {}',
      '',
      '  var count = 0',
      '  func plain() {}',
      '}',
    ].join('\n'));
    expect(methods).toEqual({
      inline: { attributes: ['MainActor'], nonisolated: false },
      above: { attributes: ['MainActor', 'discardableResult'], nonisolated: false },
      detached: { attributes: [], nonisolated: true },
      plain: { attributes: [], nonisolated: false },
    });
  });

  it('does not take attributes from a previous declaration', () => {
    const methods = methodsOf('class A {\n  @MainActor var title = ""\n  func refresh() {}\n  @objc func tapped() {} ; func next() {}\n}\n');
    expect(methods.refresh!.attributes).toEqual([]);
    expect(methods.next!.attributes).toEqual([]);
  });

  it('blanks comments and strings but keeps every offset and line', () => {
    const text = 'let a = "{ // not a comment }" // a { comment\n/* { */ let b = """\n}\n""" + "\\"{"\n';
    const stripped = stripCommentsAndStrings(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
    expect(stripped.replace(/\s+/g, ' ').trim()).toBe('let a = let b = +');
  });
});

/**
 * A run that asks no question of the background reach map lexes without the facts only the map reads
 * (`LexOptions.reach`): every other fact must be the same, on every fixture file (Swift and Objective-C).
 */
describe('lexing without the reach facts', () => {
  const REACH_ONLY_UNIT_FIELDS = ['checksProtectedData', 'regenerates', 'sends', 'sharedCalls', 'backgroundBlocks', 'params', 'closureArgs', 'authChecks', 'returnsFrom', 'keychainReads', 'reads'];
  const withoutReach = (facts: FileFacts): FileFacts => {
    const { closureMembers: _members, actionHandlers: _actions, ...rest } = facts;
    const types = facts.types.map(({ getters: _getters, ...type }) => ({
      ...type,
      methods: type.methods.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !REACH_ONLY_UNIT_FIELDS.includes(k)))) as IndexedMethod[],
    }));
    return { ...rest, types, withoutReach: true };
  };
  const fixtures = path.join(__dirname, '../../../fixtures');
  const files = fs.readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).map((f) => path.join(fixtures, f)).filter((f) => languageOf(f) !== undefined);

  it('leaves out only what the reach map reads', () => {
    let left = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const full = lexFile(file, text, languageOf(file)!);
      const lite = lexFile(file, text, languageOf(file)!, { reach: false });
      expect(lite).toEqual(withoutReach(full));
      if (JSON.stringify(lite).length < JSON.stringify(full).length - '"withoutReach":true,'.length) left++;
    }
    // The fixtures hold reach facts to leave out (getters, closures handed on, reads…), so the comparison is not empty.
    expect(left).toBeGreaterThan(10);
  });

  it('gives an index whose data without reach is that of the files lexed without', () => {
    // What a worker gets for code that does not ask the reach map (session's executor).
    const full = new ProjectIndex();
    const lite = new ProjectIndex();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      full.addFacts(lexFile(file, text, languageOf(file)!));
      lite.addFacts(lexFile(file, text, languageOf(file)!, { reach: false }));
    }
    expect(JSON.stringify(full.toData())).not.toEqual(JSON.stringify(lite.toData()));
    expect(ProjectIndex.fromData(full.toData({ reach: false })).toData()).toEqual(lite.toData());
  });
});

describe('what a method ends', () => {
  // Local copies are read only for bodies that end or consume a name: these must still reach the stored one.
  const endsTasks = (swift: string, objc: string) => [lexFile('A.swift', swift, 'swift'), lexFile('A.m', objc, 'objc')]
    .map((facts) => Object.fromEntries(facts.types[0]!.methods.map((m) => [m.name, m.endsTasks])));

  it('names the stored task a local copy holds, copied or converted', () => {
    const swift = [
      'final class A {', '  var bgTask: UIBackgroundTaskIdentifier = .invalid',
      '  func finish() {', '    guard let id = self.bgTask else { return }', '    UIApplication.shared.endBackgroundTask(id)', '  }',
      '  func convert() {', '    let id = UIBackgroundTaskIdentifier(rawValue: self.bgTask.rawValue)', '    UIApplication.shared.endBackgroundTask(id)', '  }',
      '  func copyOnly() {', '    let id = self.bgTask', '    print(id)', '  }', '}',
    ].join('\n');
    const objc = [
      '@implementation A', '- (void)finish {', '    UIBackgroundTaskIdentifier taskId = self.backgroundTaskIdentifier;',
      '    [[UIApplication sharedApplication] endBackgroundTask:taskId];', '}', '@end',
    ].join('\n');
    const [swiftEnds, objcEnds] = endsTasks(swift, objc);
    expect(swiftEnds).toEqual({ finish: ['id', 'bgTask'], convert: ['id', 'bgTask'], copyOnly: [] });
    expect(objcEnds).toEqual({ finish: ['taskId', 'backgroundTaskIdentifier'] });
  });
});

/**
 * The outline (what a scan keeps of every file to choose the index's files) reads the text without
 * blanking comments and strings first, so it must still find every name the lexer keys the file under.
 */
describe('the outline of a file', () => {
  const keys = (file: string, text: string) => {
    const language = languageOf(file)!;
    return { lexed: keysOf(lexFile(file, text, language)).sort(), outlined: outlineFile(text, language).declares };
  };

  it.each([
    ['a keyword ending the comment before a header', 'A.swift', '// Converts what the server sends; not a class\nclass ServerConverter {\n  func run() {}\n}\n'],
    ['a comment between the keyword and the name', 'A.swift', 'struct /* the cache key */ ArticleCacheKey: Hashable {\n  let id: String\n}\nextension // more\nArticleCacheKey {\n}\n'],
    ['a @MainActor declaration with a comment before it', 'A.swift', '@MainActor /* UI */ var current: Int = 0\n'],
    ['an Objective-C header with a comment before its name', 'A.m', '// see @interface in the header\n@implementation /* private */ Fetcher\n- (void)run {}\n@end\n'],
  ])('finds every name the lexer keys the file under: %s', (_what, file, text) => {
    const { lexed, outlined } = keys(file, text);
    expect(lexed.length).toBeGreaterThan(0);
    expect(lexed.filter((k) => !outlined.includes(k))).toEqual([]);
  });
});
