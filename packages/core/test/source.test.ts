/**
 * Reading source as users' files really are: macros the grammar cannot expand, CRLF, tabs and
 * emoji before a finding, code the parser cannot read, and nesting deep enough to break recursion.
 */
import { lintSource, normalizeSource, parseSource } from '@bglint/core';
import type { FileResult } from '@bglint/core';
import { rulesById } from '@bglint/rules';

const unbalanced = rulesById.get('background-task-unbalanced')!;

function lint(text: string, language: 'swift' | 'objc' = 'swift'): FileResult {
  return lintSource({ file: language === 'swift' ? 'A.swift' : 'A.m', text, language, rules: [{ rule: unbalanced, severity: 'error', options: {} }] });
}

const LEAK = 'UIApplication.shared.beginBackgroundTask(withName: "x") {}';

describe('normalization', () => {
  const header = [
    'NS_ASSUME_NONNULL_BEGIN',
    'typedef NS_ENUM(NSInteger, TMState) { TMStateIdle, TMStateBusy };',
    'NS_ERROR_ENUM(TMErrorDomain) { TMErrorUnknown };',
    'MY_PROJECT_EXTERN_C_BEGIN',
    'NS_SWIFT_NAME(Syncer)',
    '@interface TMSyncer : NSObject',
    '- (instancetype)initWithName:(NSString *)name NS_DESIGNATED_INITIALIZER API_AVAILABLE(ios(13.0));',
    '@end',
    'NS_ASSUME_NONNULL_END',
    '',
  ].join('\r\n');

  it('keeps every offset and line break, so positions need no mapping back', () => {
    const normalized = normalizeSource(header, 'objc');
    expect(normalized).toHaveLength(header.length);
    expect([...normalized].map((c, i) => (c === '\r' || c === '\n' ? i : -1)).filter((i) => i >= 0))
      .toEqual([...header].map((c, i) => (c === '\r' || c === '\n' ? i : -1)).filter((i) => i >= 0));
  });

  it('lets a header full of annotation macros parse, which it does not raw', () => {
    const raw = parseSource(header, 'objc', { normalize: false });
    const normalized = parseSource(header, 'objc');
    expect(raw.ok && raw.file.unreadable.length).toBeGreaterThan(0);
    expect(normalized.ok && normalized.file.unreadable).toEqual([]);
  });

  const macroStatements = [
    '@implementation Tracker',
    '- (void)start {',
    '\tDMPrettyLog',
    '',
    '\t// keep going',
    '\tUIBackgroundTaskIdentifier taskID = UIBackgroundTaskInvalid;',
    '\ttaskID = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:nil];',
    '\tself.task = taskID;',
    '}',
    'RCT_EXPORT_METHOD(beginTask:(RCTResponseSenderBlock)callback)',
    '{',
    '  self.other = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:nil];',
    '}',
    '- (void)stop {',
    '  long total =',
    '    count;',
    '  return',
    '    ;',
    '}',
    '@end',
    '',
  ].join('\n');

  it('reads statements after a lone logging macro line and React Native method macros, offsets kept', () => {
    const normalized = normalizeSource(macroStatements, 'objc');
    expect(normalized).toHaveLength(macroStatements.length);
    expect(normalized).toContain('- (void)          beginTask:(RCTResponseSenderBlock)callback ');
    // An identifier that continues an expression or is a keyword is left alone.
    expect(normalized).toContain('    count;');
    expect(normalized).toContain('  return\n');
    const parsed = parseSource(macroStatements, 'objc');
    expect(parsed.ok && parsed.file.unreadable).toEqual([]);
    expect(lint(macroStatements, 'objc').findings.map((f) => f.range.start.line)).toEqual([7, 12]);
  });

  it('reads Swift members between #if lines and nonisolated(unsafe) declarations', () => {
    const swift = 'final class A {\n  nonisolated(unsafe) static var shared = A()\n#if DEBUG\n  func debug() {}\n#endif\n  func save() {\n    ' + LEAK + '\n  }\n}\n';
    const parsed = parseSource(swift, 'swift');
    expect(parsed.ok && parsed.file.unreadable).toEqual([]);
    expect(lint(swift).findings.map((f) => f.range.start.line)).toEqual([7]);
  });
});

describe('locations', () => {
  it('counts columns in UTF-16 code units after emoji and CJK on the same line, and tabs as one', () => {
    const text = `func save() {\n\tlet note = "😀 保存"; ${LEAK}\n}\n`;
    const [finding] = lint(text).findings;
    const line = text.split('\n')[1]!;
    expect(finding!.range.start).toEqual({ line: 2, column: line.indexOf('beginBackgroundTask') + 1 });
  });

  it('is right with CRLF line endings', () => {
    const text = `func a() {}\r\nfunc save() {\r\n  ${LEAK}\r\n}\r\n`;
    expect(lint(text).findings.map((f) => f.range.start)).toEqual([{ line: 3, column: 24 }]);
  });
});

describe('code the parser cannot read', () => {
  it('keeps the findings it recovered and names the unreadable lines in a notice', () => {
    const text = `func broken( {\n  let = = =\n}\n\nfunc save() {\n  ${LEAK}\n}\n`;
    const result = lint(text);
    expect(result.findings.map((f) => f.range.start.line)).toEqual([6]);
    const notices = result.notices.filter((n) => n.kind === 'parse-error');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]!.range!.start.line).toBeLessThanOrEqual(2);
    expect(notices[0]!.message).toMatch(/could not parse lines? \d/);
  });
});

describe('the parse time limit', () => {
  it('gives up on a file that takes longer, and the next file parses normally', () => {
    const huge = 'func f() {\n' + '  let x = [1, 2, 3].map { $0 + 1 }.filter { $0 > 1 }\n'.repeat(40_000) + '}\n';
    expect(parseSource(huge, 'swift', { timeLimitMs: 1 })).toEqual({ ok: false, reason: 'timeout' });
    expect(parseSource('func g() {}\n', 'swift').ok).toBe(true);
  });
});

describe('deep nesting', () => {
  it('analyzes 3,000 nested closures without overflowing the stack, and says where it stopped', () => {
    const depth = 3000;
    const text = `func save() {\n  ${LEAK}\n${'  run {\n'.repeat(depth)}${'  }\n'.repeat(depth)}}\n`;
    const result = lint(text);
    expect(result.findings.map((f) => f.range.start.line)).toEqual([2]);
    expect(result.notices.some((n) => n.kind === 'too-deep')).toBe(true);
  });

  it('does the same for Objective-C blocks', () => {
    const depth = 3000;
    const text = `@implementation A\n- (void)save {\n  [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{}];\n${'  dispatch_async(q, ^{\n'.repeat(depth)}${'  });\n'.repeat(depth)}}\n@end\n`;
    const result = lint(text, 'objc');
    expect(result.findings.map((f) => f.range.start.line)).toEqual([3]);
  });
});
