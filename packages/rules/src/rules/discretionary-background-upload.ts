import { defineRule, descendants, isTrue, memberPath, rootOf, storageName } from '@bglint/core';
import type { AssignExpr, CallExpr, Expr, RuleContext, SyntaxNode } from '@bglint/core';

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
          `final class Uploader {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    ↓config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func upload(_ file: URL, to request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
        ],
        valid: [
          `final class Prefetcher {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.prefetch")\n    config.isDiscretionary = true\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func prefetch(_ url: URL) {\n    session.downloadTask(with: url).resume()\n  }\n}`,
          `final class Uploader {\n  lazy var session: URLSession = {\n    let config = URLSessionConfiguration.background(withIdentifier: "com.example.upload")\n    config.isDiscretionary = false\n    return URLSession(configuration: config, delegate: self, delegateQueue: nil)\n  }()\n  func upload(_ file: URL, to request: URLRequest) {\n    session.uploadTask(with: request, fromFile: file).resume()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Uploader\n- (void)setUp {\n  NSURLSessionConfiguration *sConf = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];\n  sConf.allowsCellularAccess = NO;\n  ↓sConf.discretionary = YES;\n  myURLSession = [NSURLSession sessionWithConfiguration:sConf delegate:self delegateQueue:nil];\n}\n- (void)send:(NSURLRequest *)request file:(NSURL *)file {\n  [[myURLSession uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end`,
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
  const config = storageName(node.target.kind === 'member' ? node.target.object : undefined);
  if (!config) return;
  const root = scopeOf(node);
  if (!isBackgroundConfiguration(root, config)) return;
  const sessions = sessionsBuiltFrom(root, config);
  const upload = uploadsOn(root, sessions);
  if (!upload) return;
  const restrictions = restrictionsOn(root, config);
  context.report({
    at: node,
    messageId: 'discretionary',
    data: { uploadLine: upload.range.start.line, restrictions: restrictions.length ? `, and it also forbids ${restrictions.join(', ')} networks` : '' },
    related: [{ at: upload.nameSpan, message: 'the upload task is created here' }],
  });
}

/** The type (or file) the configuration, session and tasks are tracked within. */
function scopeOf(node: SyntaxNode): SyntaxNode {
  for (let p = node.parent; p; p = p.parent) if (p.kind === 'type') return p;
  return rootOf(node);
}

/** Values assigned to a name in the scope: `let x = …`, `x = …`, `self.x = …`. */
function valuesOf(root: SyntaxNode, name: string): Expr[] {
  const values: Expr[] = [];
  for (const d of descendants(root)) {
    if (d.kind === 'var' && d.name === name && d.value) values.push(d.value);
    if (d.kind === 'assign' && storageName(d.target) === name) values.push(d.value);
  }
  return values;
}

function isBackgroundConfiguration(root: SyntaxNode, config: string): boolean {
  return valuesOf(root, config).some((v) => v.kind === 'call' && v.baseName === 'background');
}

/** Names the sessions created from the configuration are stored under. */
function sessionsBuiltFrom(root: SyntaxNode, config: string): Set<string> {
  const sessions = new Set<string>();
  for (const d of descendants(root)) {
    if (d.kind !== 'call' || d.baseName !== 'URLSession') continue;
    const configuration = d.args.find((a) => a.label === 'configuration');
    if (storageName(configuration?.value) !== config) continue;
    for (let p = d.parent; p; p = p.parent) {
      if (p.kind === 'var' || p.kind === 'assign') {
        const name = p.kind === 'var' ? p.name : storageName(p.target);
        if (name) sessions.add(name);
        break;
      }
    }
  }
  return sessions;
}

function uploadsOn(root: SyntaxNode, sessions: Set<string>): CallExpr | undefined {
  for (const d of descendants(root)) {
    if (d.kind === 'call' && d.baseName === 'uploadTask' && sessions.has(storageName(d.receiver) ?? '')) return d;
  }
  return undefined;
}

function restrictionsOn(root: SyntaxNode, config: string): string[] {
  const found: string[] = [];
  for (const d of descendants(root)) {
    if (d.kind !== 'assign' || d.target.kind !== 'member' || storageName(d.target.object) !== config) continue;
    const label = RESTRICTIONS[d.target.name];
    if (label && d.value.kind === 'literal' && d.value.value === 'false') found.push(label);
  }
  return found;
}
