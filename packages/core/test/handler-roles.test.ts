/**
 * Which code the system runs as a launch or expiration handler (`handlerRolesOf`, over the call layer's
 * `usesOfCode`): written in place, or bound first to a local, a block variable, a property, a method
 * or a global, and passed by name. Each case asks about the closure or func a rule would stand in.
 */
import { ProjectIndex, descendants, handlerRolesOf, parseSource, resolveCode, runsAfterLaunch, runsInBackground, usesOfCode } from '@bglint/core';
import type { CallExpr, CodeBody, Language, SyntaxNode } from '@bglint/core';

function parse(code: string, language: Language): SyntaxNode {
  const parsed = parseSource(code, language);
  if (!parsed.ok) throw new Error('parse');
  return parsed.file.syntax;
}

/** The roles of the first closure (or the func named `fn`) in `code`. */
function roles(code: string, language: Language, fn?: string): string[] {
  const root = parse(code, language);
  const body = [...descendants(root)].find((n): n is CodeBody => fn ? n.kind === 'function' && n.baseName === fn : n.kind === 'closure')!;
  return handlerRolesOf(body, new ProjectIndex()).map((r) => r.kind);
}

describe('handler roles', () => {
  it('a launch handler written in place, or bound to a local first', () => {
    expect(roles('func f() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil) { task in task.setTaskCompleted(success: true) }\n}', 'swift')).toEqual(['launch']);
    expect(roles('func f() {\n  let h = { (task: BGTask) in task.setTaskCompleted(success: true) }\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil, launchHandler: h)\n}', 'swift')).toEqual(['launch']);
  });

  it('a launch handler in a block variable or a property (ObjC)', () => {
    expect(roles('@implementation A\n- (void)f {\n  void (^h)(BGTask *) = ^(BGTask *task) { [task setTaskCompletedWithSuccess:YES]; };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"a" usingQueue:nil launchHandler:h];\n}\n@end', 'objc')).toEqual(['launch']);
    expect(roles('@implementation A\n- (void)f {\n  self.handler = ^(BGTask *task) { [task setTaskCompletedWithSuccess:YES]; };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"a" usingQueue:nil launchHandler:self.handler];\n}\n@end', 'objc')).toEqual(['launch']);
  });

  it('an expiration handler passed as a method, or assigned by name to the task', () => {
    expect(roles('final class S {\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask(expirationHandler: expire)\n  }\n  func expire() {}\n}', 'swift', 'expire')).toEqual(['expiration']);
    expect(roles('func handle(task: BGTask) {\n  let onExpire = { task.setTaskCompleted(success: false) }\n  task.expirationHandler = onExpire\n}', 'swift')).toEqual(['expiration']);
  });

  it('no role for a closure only called, or given to other code, or a same-named closure in another scope', () => {
    expect(roles('func f() {\n  let h = { print("x") }\n  h()\n  DispatchQueue.main.async(execute: h)\n}', 'swift')).toEqual([]);
    expect(roles('func f() {\n  let h = { print("x") }\n  h()\n}\nfunc g() {\n  let h = { (task: BGTask) in }\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil, launchHandler: h)\n}', 'swift')).toEqual([]);
  });

  it('counts a direct call of a named closure as a use, where it runs on the caller', () => {
    const root = parse('func f() {\n  let h = { print("x") }\n  h()\n  DispatchQueue.main.async(execute: h)\n}', 'swift');
    const closure = [...descendants(root)].find((n): n is CodeBody => n.kind === 'closure')!;
    expect(usesOfCode(closure, new ProjectIndex()).map((u) => u.kind).sort()).toEqual(['argument', 'invoked']);
  });

  it('resolves a handler bound at file level (top-level code), unless a local shadows it', () => {
    const root = parse('let h = { (task: BGTask) in task.setTaskCompleted(success: true) }\nBGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil, launchHandler: h)', 'swift');
    const register = [...descendants(root)].find((n): n is CallExpr => n.kind === 'call' && n.baseName === 'register')!;
    expect(resolveCode(register.args[2]!.value, register, new ProjectIndex()).map((b) => b.kind)).toEqual(['closure']);
    const shadowed = parse('let h = { (task: BGTask) in }\nfunc f(h: @escaping (BGTask) -> Void) {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil, launchHandler: h)\n}', 'swift');
    const inner = [...descendants(shadowed)].find((n): n is CallExpr => n.kind === 'call' && n.baseName === 'register')!;
    expect(resolveCode(inner.args[2]!.value, inner, new ProjectIndex())).toEqual([]);
  });

  it('a named closure runs late only when every place it is handed to runs it late', () => {
    const late = (code: string) => {
      const root = parse(code, 'swift');
      const register = [...descendants(root)].find((n): n is CallExpr => n.kind === 'call' && n.baseName === 'register')!;
      return runsAfterLaunch(register, new ProjectIndex())?.because;
    };
    const code = 'func setUp() {\n  let registration = {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil) { task in }\n  }\n  DispatchQueue.main.async(execute: registration)\n}';
    expect(late(code)).toBe('it runs later, in `DispatchQueue.main.async`');
    expect(late(code.replace('  DispatchQueue', '  registration()\n  DispatchQueue'))).toBeUndefined();
  });

  it('code in a method passed as a launch handler runs in the background', () => {
    const root = parse('final class E {\n  func setUp() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "a", using: nil, launchHandler: handle)\n  }\n  func handle(_ task: BGTask) {\n    Store.save()\n  }\n}', 'swift');
    const save = [...descendants(root)].find((n): n is CallExpr => n.kind === 'call' && n.baseName === 'save')!;
    expect(runsInBackground(save, new ProjectIndex())?.because).toBe('it runs in a BGTask launch handler');
  });
});
