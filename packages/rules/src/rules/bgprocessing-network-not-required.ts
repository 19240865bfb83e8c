import {
  CallSummaries, NETWORK_TRANSFER, REGISTER_TASK, bindArguments, callsIn, defineRule, descendants, enclosingFunction, lastName,
  launchHandlerOf, resolveString, rootOf, storageName,
} from '@bglint/core';
import type { CallExpr, Fix, FunctionDecl, ProjectIndex, RuleContext, SyntaxNode } from '@bglint/core';

const PROCESSING_REQUEST = 'BGProcessingTaskRequest(identifier:)';

export default defineRule({
  meta: {
    id: 'bgprocessing-network-not-required',
    severity: 'note',
    since: '0.2.0',
    summary: 'A BGProcessingTaskRequest whose handler uses the network should set `requiresNetworkConnectivity`.',
    why:
      '`requiresNetworkConnectivity` is false by default, so the system may launch a processing task while the device ' +
      'has no network, and a handler that downloads or uploads then fails or waits until the task expires. Setting it ' +
      'tells the scheduler to wait for connectivity. The rule follows the launch handler registered for the request\'s ' +
      'identifier (a literal or a constant of the same file) through the code it calls (the call-summary layer: local ' +
      'closures and functions, methods of the same type and of typed properties declared in this file), and ' +
      'looks for URLSession task creation (`dataTask`, `downloadTask`, `uploadTask`, `data(from:)`…) or Alamofire ' +
      'requests. A request that sets the flag at all (even to false) is left alone: that was decided. It is a note: a ' +
      'handler may use the network only for optional work, and a handler registered in another file is not seen. ' +
      'Measured on real code: in two labeled sets, 6 requests (4 repos) set the flag and 4 more (3 repos) run only local work; no real defect was found, so its precision is not measured yet (docs/precision.md).',
    symptom: '"Network requests appear to be more restricted"; an upload in a BGProcessingTask "times out after running almost four minutes".',
    fix: 'Set `request.requiresNetworkConnectivity = true` before submitting the request (or `false` explicitly when the network is optional).',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgprocessingtaskrequest/requiresnetworkconnectivity',
      'https://developer.apple.com/documentation/backgroundtasks/bgprocessingtaskrequest',
    ],
    tags: ['correctness', 'background-tasks', 'network'],
    precision: 'medium',
    hasSuggestions: true,
    messages: {
      notRequired: 'The launch handler for "{{identifier}}" uses the network ({{call}}), but this BGProcessingTaskRequest never sets requiresNetworkConnectivity, so the task may run with no network and its transfers fail or time out. Set `requiresNetworkConnectivity = true`.',
    },
    examples: {
      swift: {
        invalid: [
          `final class Uploads {\n  static let taskID = "com.example.uploads"\n  func registerTask() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.taskID, using: nil) { task in\n      self.uploadPending(task as! BGProcessingTask)\n    }\n  }\n  func schedule() {\n    let request = ↓BGProcessingTaskRequest(identifier: Self.taskID)\n    request.requiresExternalPower = true\n    try? BGTaskScheduler.shared.submit(request)\n  }\n  private func uploadPending(_ task: BGProcessingTask) {\n    let upload = session.uploadTask(with: pendingRequest, fromFile: pendingFile)\n    upload.resume()\n  }\n}`,
          `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n    Task {\n      let (data, _) = try await URLSession.shared.data(from: feedURL)\n      Store.save(data)\n      task.setTaskCompleted(success: true)\n    }\n  }\n}\nfunc scheduleRefresh() {\n  try? BGTaskScheduler.shared.submit(↓BGProcessingTaskRequest(identifier: "com.example.refresh"))\n}`,
        ],
        valid: [
          `final class Uploads {\n  static let taskID = "com.example.uploads"\n  func registerTask() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.taskID, using: nil) { task in\n      self.uploadPending(task as! BGProcessingTask)\n    }\n  }\n  func schedule() {\n    let request = BGProcessingTaskRequest(identifier: Self.taskID)\n    request.requiresNetworkConnectivity = true\n    try? BGTaskScheduler.shared.submit(request)\n  }\n  private func uploadPending(_ task: BGProcessingTask) {\n    session.uploadTask(with: pendingRequest, fromFile: pendingFile).resume()\n  }\n}`,
          `final class Maintenance {\n  func registerTask() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.vacuum", using: nil) { task in\n      Database.shared.vacuum()\n      task.setTaskCompleted(success: true)\n    }\n  }\n  func schedule() {\n    let request = BGProcessingTaskRequest(identifier: "com.example.vacuum")\n    request.requiresExternalPower = true\n    try? BGTaskScheduler.shared.submit(request)\n  }\n}`,
          `final class Prefetch {\n  func registerTask() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.prefetch", using: nil) { task in\n      self.prefetchIfOnline(task)\n    }\n  }\n  func schedule() {\n    let request = BGProcessingTaskRequest(identifier: "com.example.prefetch")\n    request.requiresNetworkConnectivity = false\n    try? BGTaskScheduler.shared.submit(request)\n  }\n  private func prefetchIfOnline(_ task: BGTask) {\n    URLSession.shared.dataTask(with: url).resume()\n  }\n}`,
          `func scheduleSync() {\n  let request = BGProcessingTaskRequest(identifier: "com.example.sync")\n  try? BGTaskScheduler.shared.submit(request)\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Uploads\n- (void)registerTask {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.uploads" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self uploadPending:task];\n  }];\n}\n- (void)schedule {\n  BGProcessingTaskRequest *request = [[BGProcessingTaskRequest alloc] ↓initWithIdentifier:@"com.example.uploads"];\n  [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n}\n- (void)uploadPending:(BGTask *)task {\n  [[self.session uploadTaskWithRequest:self.pendingRequest fromFile:self.pendingFile] resume];\n}\n@end`,
        ],
        valid: [
          `@implementation Uploads\n- (void)registerTask {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.uploads" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self uploadPending:task];\n  }];\n}\n- (void)schedule {\n  BGProcessingTaskRequest *request = [[BGProcessingTaskRequest alloc] initWithIdentifier:@"com.example.uploads"];\n  request.requiresNetworkConnectivity = YES;\n  [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n}\n- (void)uploadPending:(BGTask *)task {\n  [[self.session uploadTaskWithRequest:self.pendingRequest fromFile:self.pendingFile] resume];\n}\n@end`,
        ],
      },
    },
    triggers: ['BGProcessingTaskRequest'],
  },
  create(context) {
    return { [`call:${PROCESSING_REQUEST}`]: (call: CallExpr) => check(context, call) };
  },
});

function check(context: RuleContext, request: CallExpr): void {
  const identifier = resolveString(bindArguments(request, PROCESSING_REQUEST)?.get('identifier'));
  if (identifier.kind !== 'static') return;
  const scope = enclosingFunction(request);
  const stored = storedAs(request);
  if (!scope || setsNetworkRequirement(scope) || (stored && escapes(scope, stored))) return;
  const summaries = CallSummaries.of(request, context.index);
  for (const handler of launchHandlersFor(rootOf(request), identifier.value, context.index)) {
    // Any use counts, even after a hop: the transfer still runs while the task does.
    const network = summaries.useIn(handler, undefined, NETWORK_TRANSFER).at[0];
    if (!network) continue;
    context.report({
      at: request.nameSpan,
      messageId: 'notRequired',
      data: { identifier: identifier.value, call: network.selector ?? network.name },
      related: [{ at: network.nameSpan, message: 'the handler uses the network here' }],
      suggest: requireNetworkSuggestion(context, request, stored),
    });
    return;
  }
}

/** The local the request is kept in (`let request = BGProcessingTaskRequest(…)`), if any. */
function storedAs(request: CallExpr): string | undefined {
  const parent = request.parent;
  if (parent?.kind === 'var') return parent.name;
  if (parent?.kind === 'assign' && parent.value === request) return storageName(parent.target);
  return undefined;
}

function setsNetworkRequirement(scope: SyntaxNode): boolean {
  return [...descendants(scope)].some((n) => n.kind === 'assign' && lastName(n.target) === 'requiresNetworkConnectivity');
}

/** Returned or handed to anything but `submit`: the code that gets it may set the flag. */
function escapes(scope: FunctionDecl, name: string): boolean {
  for (const n of descendants(scope)) {
    if (n.kind === 'jump' && n.jump === 'return' && storageName(n.value) === name) return true;
    if (n.kind === 'call' && n.baseName !== 'submit' && n.args.some((a) => a.value.kind === 'ident' && a.value.name === name)) return true;
  }
  return false;
}

/** The code of the launch handlers this file registers for `identifier` (a closure, or one passed by name). */
function launchHandlersFor(file: SyntaxNode, identifier: string, index: ProjectIndex): SyntaxNode[] {
  return callsIn(file, (c) => c.baseName === 'register' || c.baseName === 'registerForTask').flatMap((call) => {
    const id = resolveString(bindArguments(call, REGISTER_TASK)?.get('forTaskWithIdentifier'));
    const handler = id.kind === 'static' && id.value === identifier ? launchHandlerOf(call, index) : undefined;
    const code = handler?.body.body;
    return code ? [code] : [];
  });
}

/** `request.requiresNetworkConnectivity = true` on the line after the request is stored in a local. */
function requireNetworkSuggestion(context: RuleContext, request: CallExpr, stored: string | undefined): Fix[] {
  const statement = request.parent;
  if (!stored || statement?.kind !== 'var') return [];
  const lineEnd = context.text.indexOf('\n', statement.endIndex);
  if (lineEnd < 0) return [];
  const lineStart = context.text.lastIndexOf('\n', statement.startIndex) + 1;
  const indent = /^[ \t]*/.exec(context.text.slice(lineStart))![0];
  const assignment = context.language === 'objc' ? `${stored}.requiresNetworkConnectivity = YES;` : `${stored}.requiresNetworkConnectivity = true`;
  return [{ description: `Require network connectivity (\`${assignment}\`)`, edits: [context.insertAt(lineEnd, `\n${indent}${assignment}`)] }];
}
