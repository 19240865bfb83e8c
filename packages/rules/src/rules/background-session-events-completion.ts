import {
  BACKGROUND_SESSION_TRIGGERS, CallSummaries, defineRule, descendants, callsIn, invocationConsumer, isBackgroundConfigurationCall, localNames, memberPath, refersTo, resolveCallee, rootOf,
} from '@bglint/core';
import type { CallExpr, Consumer, Expr, FunctionDecl, ProjectIndex, RuleContext, SyntaxNode } from '@bglint/core';

const HANDLE_EVENTS = 'application(_:handleEventsForBackgroundURLSession:completionHandler:)';
const DID_FINISH_EVENTS = 'urlSessionDidFinishEvents(forBackgroundURLSession:)';
/** Values that differ on every launch: a session identifier built from them cannot be reconnected. */
const PER_LAUNCH = /^(UUID|NSUUID|uuidString|UUIDString|globallyUniqueString|timeIntervalSince1970|timeIntervalSinceReferenceDate|now)$/;

export default defineRule({
  meta: {
    id: 'background-session-events-completion',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Keep the background session events completion handler and call it once the session has delivered its events.',
    why:
      'When background transfers finish while the app is not running, the system relaunches it in the background and calls ' +
      '`application(_:handleEventsForBackgroundURLSession:completionHandler:)`. The app must recreate the session with the ' +
      'same identifier, keep the completion handler, and call it from `urlSessionDidFinishEvents(forBackgroundURLSession:)` ' +
      'once the delegate has received every event: calling it is what tells the system the app is done, so it can take a ' +
      'new snapshot and suspend the app. Dropping it keeps the app running until the system kills it; calling it right away ' +
      'lets the app be suspended before the events are handled; storing it where nothing calls it is dropping it. A session ' +
      'identifier built from a UUID or the date differs on every launch, so the relaunched app can never reconnect to its ' +
      'transfers. A handler handed to another object (an SDK, a manager) is trusted to be called there.',
    symptom: 'Background transfers finish but the app is never told (or is suspended before handling them); downloads completed in the background are lost or re-downloaded on the next launch.',
    fix:
      'Store the handler (per identifier), recreate the session with that identifier, and call the handler on the main queue ' +
      'from `urlSessionDidFinishEvents(forBackgroundURLSession:)`. Use a fixed identifier for each background session.',
    references: [
      'https://developer.apple.com/documentation/uikit/uiapplicationdelegate/application(_:handleeventsforbackgroundurlsession:completionhandler:)',
      'https://developer.apple.com/documentation/foundation/urlsessiondelegate/urlsessiondidfinishevents(forbackgroundurlsession:)',
      'https://developer.apple.com/documentation/foundation/downloading-files-in-the-background',
    ],
    tags: ['correctness', 'networking', 'background-tasks'],
    precision: 'high',
    messages: {
      dropped:
        'The completion handler of handleEventsForBackgroundURLSession is never called or kept: the system keeps the app running until it is killed, and the session\'s events are never acknowledged. Store it and call it from urlSessionDidFinishEvents(forBackgroundURLSession:).',
      calledImmediately:
        'The completion handler is called before the session has delivered its events (line {{callLine}}): the system may suspend the app before the delegate handles the finished transfers. Store it and call it from urlSessionDidFinishEvents(forBackgroundURLSession:).',
      neverFinished:
        'The completion handler is stored in {{stored}}, but no type of the project implements urlSessionDidFinishEvents(forBackgroundURLSession:), so nothing calls it: the system keeps the app running until it is killed. Call the stored handler from that delegate method.',
      dynamicIdentifier:
        'This background session identifier is built from a value that changes on every launch: when the system relaunches the app for the session\'s events, it cannot recreate a session with the same identifier and the finished transfers are lost. Use a fixed identifier.',
    },
    examples: {
      swift: {
        invalid: [
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func ↓application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    print("events for \\(identifier)")\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func ↓application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    _ = Downloader.shared\n    completionHandler()\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  var backgroundCompletionHandler: (() -> Void)?\n  func ↓application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    backgroundCompletionHandler = completionHandler\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate, URLSessionDelegate {\n  var backgroundCompletionHandler: (() -> Void)?\n  func ↓application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    backgroundCompletionHandler = completionHandler\n  }\n  func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n    print("finished \\(session)")\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  var completionHandler: (() -> Void)?\n  func ↓application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    received(identifier, completionHandler: completionHandler)\n  }\n  func received(_ identifier: String, completionHandler: @escaping () -> Void) {\n    self.completionHandler = completionHandler\n  }\n}`,
          `final class Downloader {\n  lazy var session = URLSession(configuration: ↓.background(withIdentifier: "com.example.download.\\(UUID().uuidString)"), delegate: nil, delegateQueue: nil)\n}`,
        ],
        valid: [
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  var backgroundCompletionHandler: (() -> Void)?\n  func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    guard identifier == Downloader.identifier else { return completionHandler() }\n    backgroundCompletionHandler = completionHandler\n    _ = Downloader.shared.session\n  }\n}\n\nfinal class Downloader: NSObject, URLSessionDelegate {\n  static let identifier = "com.example.download"\n  static let shared = Downloader()\n  lazy var session = URLSession(configuration: .background(withIdentifier: Self.identifier), delegate: self, delegateQueue: nil)\n  func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n    DispatchQueue.main.async {\n      (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?()\n    }\n  }\n}`,
          {
            code: `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  var backgroundCompletionHandler: (() -> Void)?\n  func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    backgroundCompletionHandler = completionHandler\n  }\n}`,
            project: { sources: [`final class DownloadManager: NSObject, URLSessionDelegate {\n  func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n    DispatchQueue.main.async { (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?() }\n  }\n}`] },
          },
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    TransferManager.shared.handleEvents(for: identifier, completionHandler: completionHandler)\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  let cache = CacheBackgroundDelegate()\n  func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String, completionHandler: @escaping () -> Void) {\n    cache.store(id: identifier, completion: { @MainActor in completionHandler() })\n  }\n}`,
          `final class Downloader {\n  let session = URLSession(configuration: .background(withIdentifier: "\\(Bundle.main.bundleIdentifier!).download"), delegate: nil, delegateQueue: nil)\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation AppDelegate\n- (void)↓application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)identifier completionHandler:(void (^)(void))completionHandler {\n  [LGSyncManager sharedManager];\n  completionHandler();\n}\n@end`,
          `@implementation AppDelegate\n- (void)↓application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)identifier completionHandler:(void (^)(void))completionHandler {\n  NSLog(@"%@ -- %@", identifier, completionHandler);\n}\n@end`,
          `@implementation LGSyncManager\n- (void)setUp {\n  NSString *identifier = [[NSUUID UUID] UUIDString];\n  NSURLSessionConfiguration *c = ↓[NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:identifier];\n  _session = [NSURLSession sessionWithConfiguration:c delegate:self delegateQueue:nil];\n}\n@end`,
        ],
        valid: [
          `@implementation AppDelegate\n- (void)application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)identifier completionHandler:(void (^)(void))completionHandler {\n  self.backgroundSessionCompletionHandler = completionHandler;\n}\n- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n  dispatch_async(dispatch_get_main_queue(), ^{\n    if (self.backgroundSessionCompletionHandler) {\n      self.backgroundSessionCompletionHandler();\n      self.backgroundSessionCompletionHandler = nil;\n    }\n  });\n}\n@end`,
        ],
      },
    },
    triggers: ['handleEventsForBackgroundURLSession', ...BACKGROUND_SESSION_TRIGGERS],
  },
  create(context) {
    return {
      function(node) {
        if (node.name === HANDLE_EVENTS && node.body) checkHandleEvents(context, node);
      },
      call(node) {
        if (isBackgroundConfigurationCall(node) && builtPerLaunch(node.args[0]?.value)) context.report({ at: node, messageId: 'dynamicIdentifier' });
      },
    };
  },
});

function checkHandleEvents(context: RuleContext, fn: FunctionDecl): void {
  const handler = fn.params[2];
  if (!handler || !fn.body) return;
  const summaries = CallSummaries.of(fn, context.index);
  const names = new Set([handler]);
  const use = summaries.useIn(fn.body, names, invocationConsumer());
  const at = fn.nameSpan;
  const stored = storedIn(context, fn, names, 1);
  if (stored && stored !== ANOTHER_OBJECT) {
    if (!finishedElsewhere(context, fn, stored)) context.report({ at, messageId: 'neverFinished', data: { stored } });
    return;
  }
  if (stored === ANOTHER_OBJECT || use.consumed === 'deferred' || handedOff(context, fn, names)) return;
  const now = use.at[0];
  if (use.consumed === 'sync' && now) context.report({ at, messageId: 'calledImmediately', data: { callLine: now.range.start.line } });
  else if (use.consumed === 'none' && !use.stores) context.report({ at, messageId: 'dropped' });
}

const ANOTHER_OBJECT = 'another object';
/** Calls that only print their arguments: mentioning the handler there hands it to nobody. */
const LOGGING = /^(NSLog|NSLogv|print|debugPrint|os_log|dump)$/;
const LOGGER = /^(log|Log|logger|Logger|FileLog)$/;

/**
 * The property of this object the handler is kept in (`handler = h`, `self.handler = h`, `handlers[id] = h`),
 * directly or in a method of the same type it is passed to (one level); 'another object' when another
 * object keeps it (trusted to call it); undefined when it is not kept.
 */
function storedIn(context: RuleContext, fn: FunctionDecl, names: Set<string>, depth: number): string | undefined {
  const locals = localNames(fn);
  for (const n of descendants(fn.body!)) {
    if (n.kind !== 'assign' || !refersTo(n.value, names)) continue;
    const target = n.target;
    if (target.kind === 'call' && target.receiver === undefined) return target.baseName;
    const path = memberPath(target.kind === 'other' ? (target.children[0] as Expr) : target);
    if (path.length === 1 && locals.has(path[0]!)) continue;
    if (path.length === 1 || (path.length === 2 && path[0] === 'self')) return path[path.length - 1]!.replace(/^_/, '');
    return ANOTHER_OBJECT;
  }
  if (depth === 0) return undefined;
  for (const call of passingCalls(fn, names)) {
    const callee = sameTypeMethod(context, call);
    const index = call.args.findIndex((a) => refersTo(a.value, names));
    const param = callee?.params[index];
    if (callee?.body && param) {
      const inner = storedIn(context, callee, new Set([param]), depth - 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Calls in `fn` given the handler, or a closure that calls it, as an argument. */
function passingCalls(fn: FunctionDecl, names: Set<string>): CallExpr[] {
  const found: CallExpr[] = [];
  for (const n of descendants(fn.body!)) {
    if (n.kind !== 'call') continue;
    const passes = n.args.some((a) => refersTo(a.value, names) || (a.value.kind === 'closure' && callsIn(a.value, (c) => names.has(c.baseName)).length > 0));
    if (passes) found.push(n);
  }
  return found;
}

/** A method of this file's same type that a call resolves to (its code is summarized, not trusted). */
function sameTypeMethod(context: RuleContext, call: CallExpr): FunctionDecl | undefined {
  const callee = resolveCallee(call, context.index);
  if (callee.kind !== 'code' || callee.across) return undefined;
  const body = callee.bodies[0];
  return body?.kind === 'function' ? body : undefined;
}

/** Handed to code that decides when to call it: another object's method, an SDK, a closure kept by a call (not a log line). */
function handedOff(context: RuleContext, fn: FunctionDecl, names: Set<string>): boolean {
  return passingCalls(fn, names).some((call) => !isLogging(call) && !sameTypeMethod(context, call));
}

function isLogging(call: CallExpr): boolean {
  const receiver = memberPath(call.receiver);
  return LOGGING.test(call.baseName) || LOGGER.test(receiver[receiver.length - 1] ?? '');
}

/** A call of the stored handler under its property's name, whatever object it is read from (`appDelegate.handler?()`). */
function storedHandlerCall(property: string): Consumer {
  return {
    id: `stored-handler:${property}`,
    consumes: (call, names) => {
      const callee = call.baseName === '' || call.baseName === 'callAsFunction' ? memberPath(call.receiver).pop() : call.baseName;
      return callee !== undefined && (callee.replace(/^_/, '') === property || (names?.has(callee) ?? false));
    },
  };
}

/**
 * Is the stored handler called from `urlSessionDidFinishEvents(forBackgroundURLSession:)`: in this file
 * (through callees and hops), or in another file of the project (trusted; the lexical index knows only that it exists)?
 */
function finishedElsewhere(context: RuleContext, fn: FunctionDecl, stored: string): boolean {
  const here = [...descendants(rootOf(fn), (n) => n.kind === 'file' || n.kind === 'type')].filter(
    (n): n is FunctionDecl => n.kind === 'function' && n.name === DID_FINISH_EVENTS,
  );
  const summaries = CallSummaries.of(fn, context.index);
  const names = new Set([stored]);
  if (here.some((f) => summaries.useOf({ kind: 'code', bodies: [f] }, names, storedHandlerCall(stored)).consumed !== 'none')) return true;
  return implementationsIn(context.index, DID_FINISH_EVENTS) > here.length;
}

function implementationsIn(index: ProjectIndex, fullName: string): number {
  let count = 0;
  for (const type of index.types.values()) count += type.methods.filter((m) => m.fullName === fullName).length;
  return count;
}

/** An identifier with a UUID, a date or a unique string in it, directly or through a local of the same function. */
function builtPerLaunch(expr: Expr | undefined, depth = 0): boolean {
  if (!expr || depth > 2) return false;
  const nodes: SyntaxNode[] = [expr, ...descendants(expr)];
  if (nodes.some((n) => (n.kind === 'ident' || n.kind === 'member' || n.kind === 'call') && PER_LAUNCH.test(n.kind === 'call' ? n.baseName : n.name))) return true;
  if (expr.kind === 'ident') {
    const local = localValue(expr);
    return local ? builtPerLaunch(local, depth + 1) : false;
  }
  return false;
}

function localValue(ident: Expr & { kind: 'ident' }): Expr | undefined {
  for (let p = ident.parent; p; p = p.parent) {
    if (p.kind !== 'function' && p.kind !== 'closure') continue;
    for (const n of descendants(p)) if (n.kind === 'var' && n.name === ident.name && n.value && n.startIndex < ident.startIndex) return n.value;
    return undefined;
  }
  return undefined;
}
