/**
 * The call-summary layer: what a callable does with a value, asked with a consuming call. Each case
 * names the handler the way real code does and checks the answer a rule would act on.
 */
import { CallSummaries, ProjectIndex, argumentConsumer, descendants, invocationConsumer, parseSource } from '@bglint/core';
import type { CallExpr, Consumer, Language, ValueUse } from '@bglint/core';

const END: Consumer = argumentConsumer('endBackgroundTask', ['endBackgroundTask(_:)'], '_', 'endBackgroundTask');

/** The use of `names` by the expiration handler of the first begin call in `code`. */
function handlerUse(code: string, language: Language, names: string[] | undefined, others: [string, string, Language][] = []): ValueUse {
  const index = new ProjectIndex();
  for (const [file, text, lang] of others) index.addFile(file, text, lang);
  const parsed = parseSource(code, language);
  if (!parsed.ok) throw new Error('parse');
  const begin = [...descendants(parsed.file.syntax)].find((n): n is CallExpr => n.kind === 'call' && n.baseName.startsWith('beginBackgroundTask'))!;
  const handler = begin.args.find((a) => a.label === 'expirationHandler' || a.trailing)!.value;
  const summaries = CallSummaries.of(begin, index);
  return summaries.useOf(summaries.resolve(handler, begin), names && new Set(names), END);
}

describe('call summaries', () => {
  it('follows a local closure passed by name, and the identifier assigned after the closure was formed', () => {
    const code = 'func start() -> () -> Void {\n  var id = UIBackgroundTaskIdentifier.invalid\n  let cb = { UIApplication.shared.endBackgroundTask(id) }\n  id = UIApplication.shared.beginBackgroundTask(expirationHandler: cb)\n  return cb\n}';
    expect(handlerUse(code, 'swift', ['id']).consumed).toBe('sync');
  });

  it('follows a nested func and tells an end of another value from this one', () => {
    const code = 'func start() {\n  func finish() { UIApplication.shared.endBackgroundTask(other) }\n  task = UIApplication.shared.beginBackgroundTask(expirationHandler: finish)\n}';
    expect(handlerUse(code, 'swift', ['task']).consumed).toBe('none');
    expect(handlerUse(code.replace('(other)', '(self.task)'), 'swift', ['task']).consumed).toBe('sync');
  });

  it('follows guard-let copies of the identifier inside a same-type method', () => {
    const code = 'final class Sync {\n  var taskID: UIBackgroundTaskIdentifier?\n  func start() {\n    taskID = UIApplication.shared.beginBackgroundTask { [weak self] in self?.stop() }\n  }\n  func stop() {\n    guard let id = self.taskID else { return }\n    UIApplication.shared.endBackgroundTask(id)\n  }\n}';
    expect(handlerUse(code, 'swift', ['taskID']).consumed).toBe('sync');
  });

  it('names the hop when the end runs only after it, in the handler or in the method it calls', () => {
    const inHandler = 'func start() {\n  task = UIApplication.shared.beginBackgroundTask {\n    DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(self.task) }\n  }\n}';
    expect(handlerUse(inHandler, 'swift', ['task'])).toMatchObject({ consumed: 'deferred', hop: { kind: 'queue-async' } });
    const inMethod = '@implementation W\n- (void)start {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{ [self finish]; }];\n}\n- (void)finish {\n  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 0), dispatch_get_main_queue(), ^{\n    [[UIApplication sharedApplication] endBackgroundTask:self.task];\n  });\n}\n@end';
    expect(handlerUse(inMethod, 'objc', ['task'])).toMatchObject({ consumed: 'deferred', hop: { kind: 'async-after' } });
  });

  it('reads an ObjC block variable and a perform-after-delay of a self method', () => {
    const block = '@implementation W\n- (void)start {\n  void (^finish)(void) = ^{ [[UIApplication sharedApplication] endBackgroundTask:self.task]; };\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:finish];\n}\n@end';
    expect(handlerUse(block, 'objc', ['task']).consumed).toBe('sync');
    const later = '@implementation W\n- (void)start {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{\n    [self performSelector:@selector(finish) withObject:nil afterDelay:0];\n  }];\n}\n- (void)finish {\n  [[UIApplication sharedApplication] endBackgroundTask:self.task];\n}\n@end';
    expect(handlerUse(later, 'objc', ['task'])).toMatchObject({ consumed: 'deferred', hop: { kind: 'perform-after-delay' } });
  });

  it('reaches a same-type method in another file, a superclass method, and a typed property\'s type', () => {
    const handler = 'final class Uploader: BaseUploader {\n  var transfer: Transfer?\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { self.HANDLER() }\n  }\n}';
    const other: [string, string, Language] = ['Other.swift', 'extension Uploader {\n  func stopHere() { UIApplication.shared.endBackgroundTask(task) }\n  func stopLater() { DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(self.task) } }\n}\nclass BaseUploader {\n  func stopBase() { UIApplication.shared.endBackgroundTask(task) }\n}\nfinal class Transfer {\n  func cancel() { UIApplication.shared.endBackgroundTask(backgroundTask) }\n}', 'swift'];
    expect(handlerUse(handler.replace('HANDLER', 'stopHere'), 'swift', ['task'], [other]).consumed).toBe('sync');
    expect(handlerUse(handler.replace('HANDLER', 'stopLater'), 'swift', ['task'], [other])).toMatchObject({ consumed: 'deferred', hop: { kind: 'queue-async' } });
    expect(handlerUse(handler.replace('HANDLER', 'stopBase'), 'swift', ['task'], [other]).consumed).toBe('sync');
    expect(handlerUse(handler.replace('self.HANDLER()', 'self.transfer?.cancel()'), 'swift', ['task'], [other]).consumed).toBe('sync');
    expect(handlerUse(handler.replace('HANDLER', 'unrelated'), 'swift', ['task'], [other]).consumed).toBe('none');
  });

  it('reaches a method of a project type through its shared instance, in both languages', () => {
    const swift = 'final class Keeper {\n  static let shared = Keeper()\n  func start() {\n    task = UIApplication.shared.beginBackgroundTask { Keeper.shared.stop() }\n  }\n  func stop() { UIApplication.shared.endBackgroundTask(task) }\n}';
    expect(handlerUse(swift, 'swift', undefined).consumed).toBe('sync');
    expect(handlerUse(swift.replace('Keeper.shared.stop()', 'Keeper.shared.unrelated()'), 'swift', undefined).consumed).toBe('none');
    const objc = '@implementation Keeper\n- (void)start {\n  self.task = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{ [[Keeper sharedInstance] stop]; }];\n}\n- (void)stop {\n  [[UIApplication sharedApplication] endBackgroundTask:self.task];\n}\n@end';
    expect(handlerUse(objc, 'objc', undefined).consumed).toBe('sync');
  });

  it('answers "is this handler called" with an invocation consumer', () => {
    const code = 'final class D {\n  var completion: (() -> Void)?\n  func start() {\n    x = UIApplication.shared.beginBackgroundTask { self.completion?() }\n  }\n}';
    const index = new ProjectIndex();
    const parsed = parseSource(code, 'swift');
    if (!parsed.ok) throw new Error('parse');
    const begin = [...descendants(parsed.file.syntax)].find((n): n is CallExpr => n.kind === 'call' && n.baseName === 'beginBackgroundTask')!;
    const summaries = CallSummaries.of(begin, index);
    const callable = summaries.resolve(begin.args[0]!.value, begin);
    expect(summaries.useOf(callable, new Set(['completion']), invocationConsumer()).consumed).toBe('sync');
    expect(summaries.useOf(callable, new Set(['other']), invocationConsumer()).consumed).toBe('none');
  });
});
