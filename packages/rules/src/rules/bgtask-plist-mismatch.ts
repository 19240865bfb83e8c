import {
  TASK_IDENTIFIER_SIGNATURES, defineRule, hasBackgroundMode, permits, plistLocation, plistName, plistStrings, processInfoPlist,
  relatedAtKey, requiredBackgroundMode, resolveString, taskIdentifierUse,
} from '@bglint/core';
import type { CallExpr, PlistFacts, ProjectFileContext, RuleContext, TaskIdentifierUse } from '@bglint/core';

const PERMITTED = 'BGTaskSchedulerPermittedIdentifiers';

const registersRefresh = `BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in }`;
const registersFromParameter = `func register(_ id: String) {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: id, using: nil) { task in }\n}`;

/** An Info.plist around some keys (each line indented with a tab). */
const infoPlistAround = (keys: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${keys}\n</dict>\n</plist>\n`;

const plist = {
  BGTaskSchedulerPermittedIdentifiers: ['com.example.refresh', 'com.example.cleanup', 'com.example.export.*'],
  UIBackgroundModes: ['fetch', 'processing'],
};

export default defineRule({
  meta: {
    id: 'bgtask-plist-mismatch',
    severity: 'error',
    since: '0.2.0',
    summary: 'Task identifiers used in code must be listed in Info.plist, and each request kind needs its background mode.',
    why:
      'BGTaskScheduler only accepts identifiers listed in the target\'s Info.plist under `BGTaskSchedulerPermittedIdentifiers`. ' +
      'Registering another identifier fails, so its launch handler is never invoked; submitting a request for one throws ' +
      '`BGTaskScheduler.Error.notPermitted`. A `BGAppRefreshTaskRequest` also needs `fetch` in `UIBackgroundModes` and a ' +
      '`BGProcessingTaskRequest` needs `processing`, or the submit fails the same way. An entry ending in `.*` ' +
      '(`com.example.export.*`) permits every identifier with that prefix, for continued-processing tasks only; registering ' +
      'is checked against wildcards too, since the call does not say which kind of task it is for. The Info.plist is the ' +
      'target\'s own (each extension has one) plus keys Xcode generates from `INFOPLIST_KEY_*` build settings. Identifiers ' +
      'built at run time, or held in something other than a constant declared in the same file, are skipped; so is every ' +
      'file whose target\'s Info.plist is unknown, and code in frameworks and packages (it runs with the linking app\'s Info.plist). In the other direction, an identifier the Info.plist permits that no ' +
      'linted source registers is a warning at its line in the plist (a request submitted for it crashes with "No launch ' +
      'handler registered"); wildcard entries are exempt, and so is every entry when some registration\'s identifier ' +
      'cannot be read.',
    symptom: 'The launch handler "is never invoked"; `submit` throws `BGTaskScheduler.Error.Code.notPermitted`.',
    logPatterns: [
      { pattern: /BGTaskSchedulerErrorDomain(?: Code=| error )3\b|BGTaskSchedulerErrorCodeNotPermitted|Error\.Code\.notPermitted/, weight: 3 },
      { pattern: /No launch handler registered for task with identifier/i, weight: 2 },
    ],
    fix: 'Add the identifier to `BGTaskSchedulerPermittedIdentifiers` (and the background mode to `UIBackgroundModes`) in the Info.plist of the target that registers it, or correct the identifier in code.',
    references: [
      'https://developer.apple.com/documentation/bundleresources/information-property-list/bgtaskschedulerpermittedidentifiers',
      'https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/register(fortaskwithidentifier:using:launchhandler:)',
      'https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/error/code/notpermitted',
    ],
    tags: ['correctness', 'background-tasks', 'project-files'],
    precision: 'very-high',
    messages: {
      notPermitted: '"{{identifier}}" is not in BGTaskSchedulerPermittedIdentifiers of {{plist}}: {{consequence}} Add it there, or fix the identifier.',
      wildcardOnlyContinued: '"{{identifier}}" matches only the wildcard "{{entry}}" in {{plist}}, and wildcards permit continued-processing tasks only: submitting this {{request}} throws BGTaskScheduler.Error.notPermitted. List the identifier itself.',
      neverRegistered: '"{{identifier}}" is permitted here, but no linted source file registers a launch handler for it: a request submitted for it crashes with "No launch handler registered for task with identifier". Register it at launch, or remove the entry.',
      modeMissing: 'A {{request}} needs "{{mode}}" in UIBackgroundModes, which {{plist}} does not list: submitting it throws BGTaskScheduler.Error.notPermitted. Add the "{{mode}}" background mode.',
    },
    examples: {
      swift: {
        invalid: [
          { code: `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: ↓"com.example.refresh-v2", using: nil) { task in\n    handleRefresh(task as! BGAppRefreshTask)\n  }\n}`, project: { infoPlist: plist } },
          { code: `func scheduleCleanup() throws {\n  let request = BGProcessingTaskRequest(identifier: ↓"com.example.cleanup")\n  try BGTaskScheduler.shared.submit(request)\n}`, project: { infoPlist: { BGTaskSchedulerPermittedIdentifiers: ['com.example.cleanup'], UIBackgroundModes: ['fetch'] } } },
          { code: `enum TaskID {\n  static let refresh = "com.example.feed.refresh"\n}\nfunc schedule() throws {\n  try BGTaskScheduler.shared.submit(BGAppRefreshTaskRequest(identifier: ↓TaskID.refresh))\n}`, project: { infoPlist: plist } },
          { code: `func scheduleRefresh() throws {\n  try BGTaskScheduler.shared.submit(BGAppRefreshTaskRequest(identifier: ↓"com.example.export.refresh"))\n}`, project: { infoPlist: plist } },
        ],
        valid: [
          { code: `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n    handleRefresh(task as! BGAppRefreshTask)\n  }\n}`, project: { infoPlist: plist } },
          { code: `func export(_ name: String) throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Exporting", subtitle: name)\n  try BGTaskScheduler.shared.submit(request)\n}`, project: { infoPlist: plist } },
          { code: `final class Refresher {\n  static let refreshID = "com.example.refresh"\n  func schedule() throws {\n    try BGTaskScheduler.shared.submit(BGAppRefreshTaskRequest(identifier: Self.refreshID))\n  }\n}`, project: { infoPlist: plist } },
          { code: `func export(_ name: String) throws {\n  let request = BGContinuedProcessingTaskRequest(identifier: "\\(Bundle.main.bundleIdentifier!).export.\\(name)", title: "Exporting", subtitle: name)\n  try BGTaskScheduler.shared.submit(request)\n}`, project: { infoPlist: plist } },
          { code: `func scheduleCleanup() throws {\n  try BGTaskScheduler.shared.submit(BGProcessingTaskRequest(identifier: "com.example.cleanup"))\n}`, project: { generatedInfoPlistKeys: { BGTaskSchedulerPermittedIdentifiers: 'com.example.cleanup', UIBackgroundModes: 'processing' } } },
          `func registerTasks() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.anything", using: nil) { task in }\n}`,
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation AppDelegate\n- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:↓@"com.example.sync" usingQueue:nil launchHandler:^(BGTask *task) {\n    [self sync:task];\n  }];\n  return YES;\n}\n@end`, project: { infoPlist: plist } },
          { code: `@implementation Scheduler\n- (void)schedule {\n  BGAppRefreshTaskRequest *request = [[BGAppRefreshTaskRequest alloc] initWithIdentifier:↓@"com.example.refresh"];\n  [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n}\n@end`, project: { infoPlist: { BGTaskSchedulerPermittedIdentifiers: ['com.example.refresh'], UIBackgroundModes: ['processing'] } } },
        ],
        valid: [
          { code: `static NSString *const kRefreshID = @"com.example.refresh";\n@implementation Scheduler\n- (void)schedule {\n  BGAppRefreshTaskRequest *request = [[BGAppRefreshTaskRequest alloc] initWithIdentifier:kRefreshID];\n  [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n}\n@end`, project: { infoPlist: plist } },
          { code: `@implementation Scheduler\n- (void)registerFor:(NSString *)identifier {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:identifier usingQueue:nil launchHandler:^(BGTask *task) {}];\n}\n@end`, project: { infoPlist: plist } },
        ],
      },
      'info-plist': {
        invalid: [
          { code: infoPlistAround(`\t<key>BGTaskSchedulerPermittedIdentifiers</key>\n\t<array>\n\t\t<string>com.example.refresh</string>\n\t\t↓<string>com.example.weekly-report</string>\n\t</array>`), project: { sources: [registersRefresh] } },
        ],
        valid: [
          { code: infoPlistAround(`\t<key>BGTaskSchedulerPermittedIdentifiers</key>\n\t<array>\n\t\t<string>com.example.refresh</string>\n\t\t<string>com.example.export.*</string>\n\t</array>`), project: { sources: [registersRefresh] } },
          { code: infoPlistAround(`\t<key>BGTaskSchedulerPermittedIdentifiers</key>\n\t<array>\n\t\t<string>com.example.refresh</string>\n\t\t<string>com.example.weekly-report</string>\n\t</array>`), project: { sources: [registersRefresh, registersFromParameter] } },
        ],
      },
    },
    triggers: ['forTaskWithIdentifier', 'ForTaskWithIdentifier', 'TaskRequest'],
  },
  create(context) {
    const infoPlist = processInfoPlist(context.project);
    if (!infoPlist) return {};
    const listener = (call: CallExpr) => {
      const use = taskIdentifierUse(call);
      if (use) check(context, infoPlist, use);
    };
    return Object.fromEntries(TASK_IDENTIFIER_SIGNATURES.map((s) => [`call:${s}`, listener]));
  },
  checkProjectFile(context) {
    if (context.kind === 'info-plist') checkNeverRegistered(context);
  },
});

/** Permitted identifiers no source registers; silent when some registration could not be read. */
function checkNeverRegistered(context: ProjectFileContext): void {
  const { registeredTaskIds, unresolvedTaskRegistrations } = context.index;
  if (registeredTaskIds.size === 0 || unresolvedTaskRegistrations > 0) return;
  for (const entry of plistStrings(context.plist, PERMITTED)) {
    // Wildcards are for continued-processing tasks, registered when the user starts one.
    if (entry.value.endsWith('.*') || [...registeredTaskIds].some((id) => permits(entry.value, id, false))) continue;
    const at = plistLocation(context.plist, [PERMITTED, entry.index]).range;
    context.report({ at, messageId: 'neverRegistered', data: { identifier: entry.value }, severity: 'warning' });
  }
}

const REQUEST_NAMES = { 'app-refresh': 'BGAppRefreshTaskRequest', processing: 'BGProcessingTaskRequest', 'continued-processing': 'BGContinuedProcessingTaskRequest', register: '' };

function check(context: RuleContext, infoPlist: PlistFacts, use: TaskIdentifierUse): void {
  const resolved = resolveString(use.identifier);
  if (resolved.kind !== 'static') return;
  const identifier = resolved.value;
  const entries = plistStrings(infoPlist, PERMITTED);
  const data = { identifier, plist: plistName(infoPlist), request: REQUEST_NAMES[use.kind] };
  const wildcards = use.kind === 'register' || use.kind === 'continued-processing';
  if (!entries.some((e) => permits(e.value, identifier, wildcards))) {
    const wildcard = entries.find((e) => permits(e.value, identifier, true));
    context.report(wildcard
      ? { at: use.identifier, messageId: 'wildcardOnlyContinued', data: { ...data, entry: wildcard.value }, related: [relatedAtKey(infoPlist, [PERMITTED, wildcard.index], 'the wildcard entry')] }
      : { at: use.identifier, messageId: 'notPermitted', data: { ...data, consequence: consequenceOf(use) }, related: [relatedAtKey(infoPlist, [PERMITTED], 'the permitted identifiers')] });
    return;
  }
  const mode = requiredBackgroundMode(use.kind);
  if (mode && !hasBackgroundMode(infoPlist, mode)) {
    context.report({ at: use.identifier, messageId: 'modeMissing', data: { ...data, mode }, related: [relatedAtKey(infoPlist, ['UIBackgroundModes'], 'the background modes')] });
  }
}

function consequenceOf(use: TaskIdentifierUse): string {
  return use.kind === 'register'
    ? 'registering it fails and its launch handler is never invoked.'
    : `submitting this ${REQUEST_NAMES[use.kind]} throws BGTaskScheduler.Error.notPermitted.`;
}
