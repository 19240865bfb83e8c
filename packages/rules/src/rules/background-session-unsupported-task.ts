import { BACKGROUND_SESSION_TRIGGERS, SESSION_TASK_TRIGGERS, backgroundSessionCallsFromIndex, backgroundSessionsIn, defineRule, descendants, enclosingFunction, isNil, memberPath, parseSwiftName, storageName } from '@bglint/core';
import type { AssignExpr, CallExpr, RuleContext } from '@bglint/core';

/** Convenience methods that deliver their result through `async`/`await` (a completion handler underneath). */
const ASYNC_METHODS = new Set(['data', 'download', 'upload', 'bytes']);
const STREAM_OR_SOCKET = new Set(['webSocketTask', 'streamTask']);
const TASK_METHODS = new Set(['dataTask', 'downloadTask', 'uploadTask']);
/** `httpBody`, ObjC `HTTPBody` and `setHTTPBody:` (lowered as `hTTPBody`), and the stream forms. */
const REQUEST_BODY = /^[hH](ttp|TTP)Body(Stream)?$/;

export default defineRule({
  meta: {
    id: 'background-session-unsupported-task',
    severity: 'error',
    since: '0.2.0',
    summary: 'Create only delegate-based download tasks and upload-from-file tasks on a background URLSession.',
    why:
      'A background session hands its transfers to a system daemon that runs them while the app is suspended or ' +
      'terminated. It can only do that for work it can carry on its own: downloads to a file and uploads from a file, ' +
      'reported to the session delegate. Completion-handler and `async` task methods, uploads from `Data` or a stream, ' +
      'WebSocket and stream tasks are not supported there (they raise an exception or fail), and a data task runs only ' +
      'while the app is in the foreground. A body set on the request (`httpBody`) is not something the daemon can send ' +
      'later: the thread\'s code set `HTTPBody` on a download task\'s request and the upload crawled. Only sessions whose ' +
      'configuration is known to come from `background(withIdentifier:)` are checked, built in this file or by a factory method ' +
      'or property of another file (`[NSURLSession CQ_backgroundSession]`, `URLSession.makeBackground()`, a typed property\'s ' +
      '`session`); a session whose origin cannot be followed is not reported.',
    symptom:
      'A 25 MB upload sent as a request body through a background download task: "the iOS system uploads about 140kB every 15 seconds", ' +
      'and files above 2.5 MB time out; completion-handler tasks throw "Completion handler blocks are not supported in background sessions".',
    fix:
      'Write the body to a file and use `uploadTask(with:fromFile:)`, or use `downloadTask(with:)`, without a completion ' +
      'handler; receive results in `URLSessionTaskDelegate` / `URLSessionDownloadDelegate` methods. Keep data, WebSocket ' +
      'and `async` requests on a default session.',
    references: [
      'https://developer.apple.com/documentation/foundation/urlsessionconfiguration/background(withidentifier:)',
      'https://developer.apple.com/documentation/foundation/urlsession/uploadtask(with:fromfile:)',
      'https://developer.apple.com/documentation/foundation/downloading-files-in-the-background',
      'https://developer.apple.com/forums/thread/746759',
    ],
    tags: ['correctness', 'networking', 'background-tasks'],
    precision: 'high',
    messages: {
      completionHandler:
        '{{method}} with a completion handler on a background session: background sessions do not support completion-handler tasks ("Completion handler blocks are not supported in background sessions"). Create the task without the handler and handle the result in the session delegate.',
      asyncMethod:
        '{{method}} on a background session: the async convenience methods are not supported there and the request fails. Use downloadTask(with:) or uploadTask(with:fromFile:) with a delegate, or run this request on a default session.',
      uploadFromMemory:
        '{{method}} on a background session: background sessions upload only from a file, so an upload from data or a stream fails. Write the body to a file and use uploadTask(with:fromFile:).',
      unsupportedKind:
        '{{method}} on a background session: WebSocket and stream tasks are not supported in background sessions. Use a default session for this connection.',
      dataTask:
        'dataTask(with:) on a background session: a data task runs only while the app is in the foreground and fails once the app is suspended. Use a download task, or a default session for short requests.',
      requestBody:
        'The request given to {{method}} has a body set (line {{bodyLine}}), but a background session cannot send a body held in the request: the transfer crawls or fails once the app is suspended. Write the body to a file and use uploadTask(with:fromFile:).',
    },
    examples: {
      swift: {
        invalid: [
          {
            code: `final class Reporter {\n  func send(_ request: URLRequest) {\n    let session = URLSession.makeBackground()\n    ↓session.dataTask(with: request) { _, _, _ in }.resume()\n  }\n}`,
            project: { sources: [`extension URLSession {\n  static func makeBackground() -> URLSession {\n    let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.reports")\n    return URLSession(configuration: configuration, delegate: nil, delegateQueue: nil)\n  }\n}`] },
          },
          {
            code: `final class SyncController {\n  private let transfers: Transfers\n  init(transfers: Transfers) { self.transfers = transfers }\n  func upload(_ data: Data, _ request: URLRequest) {\n    ↓transfers.session.uploadTask(with: request, from: data).resume()\n  }\n}`,
            project: { sources: [`final class Transfers: NSObject {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.transfers")\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n}`] },
          },
          `final class FeedLoader: NSObject, URLSessionDelegate {\n  private lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.feed")\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func load(_ url: URL) {\n    ↓session.downloadTask(with: url) { location, _, _ in\n      print(location as Any)\n    }.resume()\n  }\n}`,
          `final class Sync {\n  let session = URLSession(configuration: .background(withIdentifier: "com.example.sync"), delegate: nil, delegateQueue: nil)\n  func send(_ body: Data, _ request: URLRequest) async throws {\n    let (_, response) = try await ↓session.upload(for: request, from: body)\n    print(response)\n  }\n  func ping(_ url: URL) {\n    ↓session.dataTask(with: url).resume()\n  }\n}`,
          `final class Uploader {\n  private let session: URLSession\n  init() {\n    let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    session = URLSession(configuration: configuration, delegate: nil, delegateQueue: nil)\n  }\n  func upload(_ data: Data, to url: URL) {\n    var request = URLRequest(url: url)\n    request.httpMethod = "POST"\n    request.httpBody = data\n    ↓session.downloadTask(with: request).resume()\n  }\n}`,
          `final class UploadCenter {\n  lazy var session: URLSession = URLSession(configuration: .background(withIdentifier: "com.example.upload"), delegate: nil, delegateQueue: nil)\n  func send(_ data: Data, _ request: URLRequest) {\n    UploadWorker(session: session).start(data, request)\n  }\n}\n\nfinal class UploadWorker {\n  private let session: URLSession\n  init(session: URLSession) { self.session = session }\n  func start(_ data: Data, _ request: URLRequest) {\n    ↓session.uploadTask(with: request, from: data).resume()\n  }\n}`,
        ],
        valid: [
          {
            code: `final class Reporter {\n  func send(_ request: URLRequest) {\n    let session = URLSession.makeDefault()\n    session.dataTask(with: request) { _, _, _ in }.resume()\n  }\n}`,
            project: { sources: [`extension URLSession {\n  static func makeDefault() -> URLSession {\n    URLSession(configuration: .default)\n  }\n  static func makeBackground() -> URLSession {\n    URLSession(configuration: .background(withIdentifier: "com.example.reports"), delegate: nil, delegateQueue: nil)\n  }\n}`] },
          },
          {
            code: `final class Reporter {\n  func send(_ request: URLRequest, file: URL) {\n    URLSession.makeBackground().uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
            project: { sources: [`extension URLSession {\n  static func makeBackground() -> URLSession {\n    URLSession(configuration: .background(withIdentifier: "com.example.reports"), delegate: nil, delegateQueue: nil)\n  }\n}`] },
          },
          `final class FeedLoader: NSObject, URLSessionDownloadDelegate {\n  private lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.feed")\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func load(_ url: URL, upload file: URL, request: URLRequest) {\n    session.downloadTask(with: url).resume()\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n  func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {}\n}`,
          `final class Api {\n  private let session = URLSession(configuration: .default)\n  private let background = URLSession(configuration: .background(withIdentifier: "com.example.bg"), delegate: nil, delegateQueue: nil)\n  func fetch(_ url: URL) async throws -> Data {\n    let (data, _) = try await session.data(from: url)\n    session.dataTask(with: url) { _, _, _ in }.resume()\n    return data\n  }\n}`,
          `final class Forwarder {\n  let session: URLSession\n  init(session: URLSession) { self.session = session }\n  func ping(_ url: URL) {\n    session.dataTask(with: url) { _, _, _ in }.resume()\n  }\n}`,
          `final class Uploader {\n  private let session = URLSession(configuration: .background(withIdentifier: "com.example.upload"), delegate: nil, delegateQueue: nil)\n  func upload(_ data: Data, to url: URL) throws {\n    let file = FileManager.default.temporaryDirectory.appendingPathComponent("body")\n    try data.write(to: file)\n    var request = URLRequest(url: url)\n    request.httpMethod = "POST"\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          {
            code: `@implementation CQAnalytics\n- (void)synchronize {\n  [↓[[NSURLSession CQ_backgroundSession] dataTaskWithRequest:[self request]] resume];\n}\n@end`,
            project: { sources: [`@implementation NSURLSession (Additions)\n+ (NSURLSession *)CQ_backgroundSession {\n  static NSURLSession *backgroundSession = nil;\n  static dispatch_once_t onceToken;\n  dispatch_once(&onceToken, ^{\n    NSURLSessionConfiguration *configuration = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.background"];\n    backgroundSession = [NSURLSession sessionWithConfiguration:configuration];\n  });\n  return backgroundSession;\n}\n@end`] },
          },
          `@implementation BKSessionManager\n- (void)setUp {\n  NSURLSessionConfiguration *sConf = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];\n  myURLSession = [NSURLSession sessionWithConfiguration:sConf delegate:self delegateQueue:nil];\n}\n- (void)send:(NSData *)body to:(NSURL *)url {\n  NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:url];\n  request.HTTPMethod = @"POST";\n  request.HTTPBody = body;\n  [↓[myURLSession downloadTaskWithRequest:request] resume];\n}\n@end`,
          `@implementation Fetcher\n- (instancetype)init {\n  if ((self = [super init])) {\n    _session = [NSURLSession sessionWithConfiguration:[NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.fetch"] delegate:self delegateQueue:nil];\n  }\n  return self;\n}\n- (void)fetch:(NSURL *)url {\n  [↓[self.session dataTaskWithURL:url completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {\n    NSLog(@"%@", data);\n  }] resume];\n}\n@end`,
        ],
        valid: [
          {
            code: `@implementation CQAnalytics\n- (void)synchronize {\n  [[[NSURLSession CQ_defaultSession] dataTaskWithRequest:[self request]] resume];\n}\n@end`,
            project: { sources: [`@implementation NSURLSession (Additions)\n+ (NSURLSession *)CQ_defaultSession {\n  return [NSURLSession sessionWithConfiguration:[NSURLSessionConfiguration defaultSessionConfiguration]];\n}\n@end`] },
          },
          `@implementation BKSessionManager\n- (void)setUp {\n  NSURLSessionConfiguration *sConf = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];\n  myURLSession = [NSURLSession sessionWithConfiguration:sConf delegate:self delegateQueue:nil];\n}\n- (void)send:(NSURL *)file to:(NSURL *)url {\n  NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:url];\n  request.HTTPMethod = @"POST";\n  [[myURLSession uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end`,
          `@implementation GULSession\n- (void)send:(NSURLRequest *)request {\n  BOOL wrote = [request.HTTPBody writeToURL:_file atomically:YES];\n  if (wrote) {\n    _config = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:_sessionID];\n  } else {\n    _config = [NSURLSessionConfiguration defaultSessionConfiguration];\n  }\n  NSURLSession *session = [NSURLSession sessionWithConfiguration:_config delegate:self delegateQueue:nil];\n  NSMutableURLRequest *bodiless = [request mutableCopy];\n  bodiless.HTTPBody = nil;\n  if (wrote) {\n    [[session uploadTaskWithRequest:bodiless fromFile:_file] resume];\n  } else {\n    [[session uploadTaskWithRequest:bodiless fromData:request.HTTPBody] resume];\n  }\n}\n@end`,
          `@implementation Fetcher\n- (void)fetch:(NSURL *)url {\n  [[[NSURLSession sharedSession] dataTaskWithURL:url completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {\n    NSLog(@"%@", data);\n  }] resume];\n}\n@end`,
        ],
      },
    },
    triggers: [...BACKGROUND_SESSION_TRIGGERS, ...SESSION_TASK_TRIGGERS],
    // A file that builds no background configuration can only make tasks on a session another file builds,
    // which the index records (`backgroundSessionCallsFromIndex`): without one anywhere, task calls alone let no file through.
    triggersWhen: [{ project: 'background-session', triggers: SESSION_TASK_TRIGGERS }],
  },
  create(context) {
    return {
      // The tasks are anywhere in the file (often in bodies without a trigger string), so the file's
      // sessions are asked for their calls once, rather than listening to every call.
      file(root) {
        // A file that builds no background configuration can still use a session built in another file (the index says which).
        const here = BACKGROUND_SESSION_TRIGGERS.some((t) => context.text.includes(t)) ? backgroundSessionsIn(root).flatMap((session) => session.calls) : [];
        const calls = new Set([...here, ...backgroundSessionCallsFromIndex(root, context.index, context.text)]);
        if (calls.size === 0) return;
        for (const call of calls) {
          const problem = problemOf(call);
          if (!problem) continue;
          context.report({
            at: call,
            messageId: problem.messageId,
            data: { method: call.name, ...problem.data },
            severity: problem.messageId === 'dataTask' ? 'warning' : undefined,
          });
        }
      },
    };
  },
});

interface Problem {
  messageId: string;
  data?: Record<string, string | number>;
}

/** What a call on a session would do wrong if the session is a background one (nothing for supported tasks). */
function problemOf(call: CallExpr): Problem | undefined {
  const { base, labels } = parseSwiftName(call.name);
  const isTask = TASK_METHODS.has(base);
  if (isTask && (labels.includes('completionHandler') || call.args.some((a) => a.trailing))) return { messageId: 'completionHandler' };
  if (ASYNC_METHODS.has(base) && labels.length > 0) return { messageId: 'asyncMethod' };
  if (STREAM_OR_SOCKET.has(base)) return { messageId: 'unsupportedKind' };
  if (base === 'uploadTask' && (labels.includes('from') || labels.includes('withStreamedRequest'))) return { messageId: 'uploadFromMemory' };
  if (base === 'dataTask') return { messageId: 'dataTask' };
  if (base === 'downloadTask' || (base === 'uploadTask' && labels.includes('fromFile'))) {
    const body = requestBodySet(call);
    if (body) return { messageId: 'requestBody', data: { bodyLine: body.range.start.line } };
  }
  return undefined;
}

/** `request.httpBody = …` (or `[request setHTTPBody:…]`) in the function that gives `request` to the task. */
function requestBodySet(call: CallExpr): AssignExpr | undefined {
  const request = call.args[0]?.value;
  const name = memberPath(request).length === 1 ? storageName(request) : undefined;
  const scope = enclosingFunction(call);
  if (!name || !scope?.body) return undefined;
  for (const n of descendants(scope.body)) {
    if (n.kind !== 'assign' || n.target.kind !== 'member' || !REQUEST_BODY.test(n.target.name) || isNil(n.value)) continue;
    if (storageName(n.target.object) === name && n.startIndex < call.startIndex) return n;
  }
  return undefined;
}
