/** background-task-unbalanced's `wrappers` option: calls of a named project wrapper are checked as the begin they wrap. */
import { ProjectIndex, lintSource } from '@bglint/core';
import type { Language } from '@bglint/core';
import { allRules } from '@bglint/rules';
import { positionsOf, stripMarkers } from './rule-tester';

const rule = allRules.find((r) => r.meta.id === 'background-task-unbalanced')!;

function lint(example: string, language: Language, wrappers: string[]) {
  const { code, positions } = stripMarkers(example);
  const file = language === 'swift' ? 'Example.swift' : 'Example.m';
  const index = new ProjectIndex();
  index.addFile(file, code, language);
  const result = lintSource({ file, text: code, language, rules: [{ rule, severity: 'error', options: { wrappers } }], index });
  return { found: positionsOf(result.findings), positions };
}

describe('background-task-unbalanced wrappers option', () => {
  it('reports a discarded identifier and an early return after a named wrapper, in Swift', () => {
    const discarded = lint('func save() {\n  BackgroundTasks.↓begin(name: "save") { log("expired") }\n  store.flush()\n}', 'swift', ['BackgroundTasks.begin']);
    expect(discarded.found).toEqual(discarded.positions);
    const early = lint('func save() {\n  let id = BackgroundTasks.↓begin(name: "save") { BackgroundTasks.end(id) }\n  guard store.isReady else { return }\n  store.flush()\n  BackgroundTasks.end(id)\n}', 'swift', ['BackgroundTasks.begin']);
    expect(early.found).toEqual(early.positions);
  });

  it('is silent when the wrapper is not named, and when the wrapped task is ended by the wrapper\'s end', () => {
    const code = 'func save() {\n  BackgroundTasks.begin(name: "save") { log("expired") }\n  store.flush()\n}';
    expect(lint(code, 'swift', []).found).toEqual([]);
    const ended = 'func save() {\n  let id = BackgroundTasks.begin(name: "save") { BackgroundTasks.end(id) }\n  defer { BackgroundTasks.end(id) }\n  store.flush()\n}';
    expect(lint(ended, 'swift', ['BackgroundTasks.begin']).found).toEqual([]);
  });

  it('checks an ObjC wrapper\'s expiration handler', () => {
    const never = lint('@implementation Worker\n- (void)save {\n  self.task = [BackgroundTasks ↓beginWithName:@"save" expirationHandler:^{ NSLog(@"expired"); }];\n  [self.store flushWithCompletion:^{ [BackgroundTasks end:self.task]; }];\n}\n@end', 'objc', ['BackgroundTasks.beginWithName']);
    expect(never.found).toEqual(never.positions);
  });
});
