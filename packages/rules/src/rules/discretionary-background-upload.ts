import { backgroundSessionConfiguredBy, defineRule, descendants, isTrue, memberPath, rootOf } from '@bglint/core';
import type { AssignExpr, BackgroundSession, RuleContext } from '@bglint/core';

const RESTRICTIONS: Record<string, string> = {
  allowsCellularAccess: 'cellular',
  allowsExpensiveNetworkAccess: 'expensive',
  allowsConstrainedNetworkAccess: 'constrained (Low Data Mode)',
};

export default defineRule({
  meta: {
    id: 'discretionary-background-upload',
    severity: 'warning',
    since: '0.1.0',
    summary: 'Do not mark a background session that uploads as discretionary.',
    why:
      'A discretionary session lets the system defer and throttle transfers until conditions suit it (power, Wi-Fi). ' +
      'That suits prefetching downloads, but an upload the user is waiting for can trickle for hours or time out. ' +
      'Transfers started while the app is in the background are discretionary whatever the flag says; the flag ' +
      'makes foreground-started uploads discretionary too. A discretionary session used only for downloads is fine ' +
      'and not reported; a configuration whose session cannot be found in the same type is not reported either.',
    symptom: 'A 25 MB upload trickles at "140kB every 15 seconds" and times out.',
    fix: 'Leave `isDiscretionary` false for sessions that upload what the user is waiting for; keep it for prefetch-style downloads.',
    references: ['https://developer.apple.com/documentation/foundation/urlsessionconfiguration/isdiscretionary'],
    tags: ['performance', 'networking', 'background-tasks'],
    precision: 'high',
    messages: {
      discretionary: 'This background session is discretionary and uploads (line {{uploadLine}}): the system may hold or throttle the upload until the device is on power and Wi-Fi, so it can crawl or time out{{restrictions}}. Set isDiscretionary to false for uploads the user is waiting for.',
    },
    examples: {
      swift: {
        invalid: [
          // The configuration is a background one on one branch, and a project factory builds the session from it.
          `final class LogClient {\n  private let session: URLSession\n  init(background: Bool) {\n    let config: URLSessionConfiguration\n    if background {\n      config = URLSessionConfiguration.background(withIdentifier: "com.example.logs")\n    } else {\n      config = URLSessionConfiguration.default\n    }\n    ↓config.isDiscretionary = true\n    session = URLSession.new(configuration: config, delegate: nil, delegateQueue: nil)\n  }\n  func send(_ file: URL, to request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
          `final class Uploader {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    ↓config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func upload(_ file: URL, to request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
          `final class UploadCenter {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    ↓config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: nil, delegateQueue: nil)\n  }()\n  func send(_ file: URL, to request: URLRequest) {\n    UploadWorker(session: session).start(file, request)\n  }\n}\n\nfinal class UploadWorker {\n  private let session: URLSession\n  init(session: URLSession) { self.session = session }\n  func start(_ file: URL, _ request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
        ],
        valid: [
          // The same configuration on a session that only downloads.
          `final class LogClient {\n  private let session: URLSession\n  init(background: Bool) {\n    let config: URLSessionConfiguration\n    if background {\n      config = URLSessionConfiguration.background(withIdentifier: "com.example.logs")\n    } else {\n      config = URLSessionConfiguration.default\n    }\n    config.isDiscretionary = true\n    session = URLSession.new(configuration: config, delegate: nil, delegateQueue: nil)\n  }\n  func fetch(_ url: URL) {\n    session.downloadTask(with: url).resume()\n  }\n}`,
          `final class Prefetcher {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.prefetch")\n    config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func prefetch(_ url: URL) {\n    session.downloadTask(with: url).resume()\n  }\n}`,
          `final class Uploader {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    config.isDiscretionary = false\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func upload(_ file: URL, to request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
          `final class PrefetchCenter {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.prefetch")\n    config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: nil, delegateQueue: nil)\n  }()\n  func prefetch(_ url: URL) {\n    PrefetchWorker(session: session).start(url)\n  }\n}\n\nfinal class PrefetchWorker {\n  private let session: URLSession\n  init(session: URLSession) { self.session = session }\n  func start(_ url: URL) {\n    session.downloadTask(with: url).resume()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Uploader\n- (void)setUp {\n  NSURLSessionConfiguration *sConf = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];\n  sConf.allowsCellularAccess = NO;\n  ↓sConf.discretionary = YES;\n  myURLSession = [NSURLSession sessionWithConfiguration:sConf delegate:self delegateQueue:nil];\n}\n- (void)send:(NSURLRequest *)request file:(NSURL *)file {\n  [[myURLSession uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end`,
          `@implementation LGUploadWorker\n- (instancetype)initWithSession:(NSURLSession *)session {\n  if ((self = [super init])) { _session = session; }\n  return self;\n}\n- (void)send:(NSURLRequest *)request file:(NSURL *)file {\n  [[self.session uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end\n\n@implementation LGUploadCenter\n- (NSURLSessionConfiguration *)configuration {\n  NSURLSessionConfiguration *c = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];\n  ↓c.discretionary = YES;\n  return c;\n}\n- (void)start {\n  self.session = [NSURLSession sessionWithConfiguration:[self configuration] delegate:self delegateQueue:nil];\n  self.worker = [[LGUploadWorker alloc] initWithSession:self.session];\n}\n@end`,
        ],
        valid: [
          `@implementation Prefetcher\n- (void)setUp {\n  NSURLSessionConfiguration *c = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.prefetch"];\n  [c setDiscretionary:YES];\n  _session = [NSURLSession sessionWithConfiguration:c delegate:self delegateQueue:nil];\n}\n- (void)fetch:(NSURL *)url {\n  [[_session downloadTaskWithURL:url] resume];\n}\n@end`,
        ],
      },
    },
    triggers: ['iscretionary'],
  },
  create(context) {
    return {
      assign(node) {
        if (memberPath(node.target).pop() !== 'isDiscretionary' || !isTrue(node.value)) return;
        check(context, node);
      },
    };
  },
});

function check(context: RuleContext, node: AssignExpr): void {
  if (node.target.kind !== 'member') return;
  // A configuration that is a background one on some branch counts: the flag is set for that session too.
  const session = backgroundSessionConfiguredBy(node.target.object, true);
  const upload = session?.calls.find((c) => c.baseName === 'uploadTask' || c.baseName === 'upload');
  if (!session || !upload) return;
  const restrictions = restrictionsOn(session);
  context.report({
    at: node,
    messageId: 'discretionary',
    data: { uploadLine: upload.range.start.line, restrictions: restrictions.length ? `, and it also forbids ${restrictions.join(', ')} networks` : '' },
    related: [{ at: upload.nameSpan, message: 'the upload task is created here' }],
  });
}

/** The networks the configuration forbids (`allowsCellularAccess = false`…). */
function restrictionsOn(session: BackgroundSession): string[] {
  const found: string[] = [];
  for (const d of descendants(rootOf(session.configuration))) {
    if (d.kind !== 'assign' || d.target.kind !== 'member' || backgroundSessionConfiguredBy(d.target.object, true) !== session) continue;
    const label = RESTRICTIONS[d.target.name];
    if (label && d.value.kind === 'literal' && d.value.value === 'false') found.push(label);
  }
  return found;
}
