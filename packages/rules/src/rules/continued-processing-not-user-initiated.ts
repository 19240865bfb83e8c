import { defineRule, enclosingFunction, runsInBackground, sameTypeCallers, setsEarliestBeginDate, submittedContinuedRequest } from '@bglint/core';
import type { CallExpr, PhaseReason, ProjectIndex, RuleContext } from '@bglint/core';

const exportRequest = `let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Exporting", subtitle: "Starting")`;

export default defineRule({
  meta: {
    id: 'continued-processing-not-user-initiated',
    severity: 'warning',
    since: '0.3.0',
    summary: 'Submit continued-processing requests in response to a user action, while the app is in the foreground.',
    why:
      'A `BGContinuedProcessingTaskRequest` (iOS 26) continues work the user just started, such as an export, after the app ' +
      'leaves the foreground; the system shows its progress in a Live Activity. It must be submitted while the app is in ' +
      'the foreground, in response to an explicit user action. Submitted from `applicationDidEnterBackground`, ' +
      '`sceneDidEnterBackground`, a `.background` scene-phase change, another task\'s launch or expiration handler, a ' +
      'background fetch or push, or a timer, the request is rejected, or the task is stopped when the system sees no ' +
      'user behind it. One level of same-type helpers is followed: a helper that submits, called from one of those places, is reported. ' +
      'Work that may wait for good conditions belongs in a `BGProcessingTaskRequest`; a continued-processing request that ' +
      'sets `earliestBeginDate` is a sign of that, and the message says so.',
    symptom: 'The request is rejected when submitted, or the task expires right away; the work the user expected to finish never does.',
    fix:
      'Submit the request from the action that starts the work (a button, a menu command) while the app is active. For work the ' +
      'app starts on its own, or that can wait, submit a `BGProcessingTaskRequest` instead.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtaskrequest',
      'https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtask',
      'https://developer.apple.com/documentation/backgroundtasks/performing-long-running-tasks-on-ios-and-ipados',
    ],
    tags: ['correctness', 'background-tasks', 'continued-processing'],
    precision: 'high',
    messages: {
      background: 'This continued-processing request is submitted while the app is not in the foreground ({{because}}): the system accepts these only in response to a user action in the foreground, so the work does not continue.{{earliest}} Submit it from the user\'s action, or use a BGProcessingTaskRequest for work the app starts on its own.',
      backgroundCaller: 'This continued-processing request is submitted in `{{function}}`, which is called on line {{line}} while the app is not in the foreground ({{because}}): the system accepts these only in response to a user action in the foreground.{{earliest}} Submit it from the user\'s action, or use a BGProcessingTaskRequest for work the app starts on its own.',
    },
    examples: {
      swift: {
        invalid: [
          `final class SceneDelegate: UIResponder, UIWindowSceneDelegate {\n  func sceneDidEnterBackground(_ scene: UIScene) {\n    ${exportRequest}\n    try? BGTaskScheduler.shared.↓submit(request)\n  }\n}`,
          `final class Exporter {\n  func registerRefresh() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n      ${exportRequest}\n      try? BGTaskScheduler.shared.↓submit(request)\n      task.setTaskCompleted(success: true)\n    }\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func applicationDidEnterBackground(_ application: UIApplication) {\n    startExport()\n  }\n  func startExport() {\n    ${exportRequest}\n    request.earliestBeginDate = Date(timeIntervalSinceNow: 60)\n    try? BGTaskScheduler.shared.↓submit(request)\n  }\n}`,
          `final class AutoExporter {\n  func start() {\n    Timer.scheduledTimer(withTimeInterval: 3600, repeats: true) { _ in\n      try? BGTaskScheduler.shared.↓submit(BGContinuedProcessingTaskRequest(identifier: "com.example.export.hourly", title: "Exporting", subtitle: ""))\n    }\n  }\n}`,
          `struct ExportScene: Scene {\n  @Environment(\\.scenePhase) private var phase\n  var body: some Scene {\n    WindowGroup { ContentView() }\n      .onChange(of: phase) { _, newPhase in\n        if newPhase == .background {\n          try? BGTaskScheduler.shared.↓submit(BGContinuedProcessingTaskRequest(identifier: "com.example.export.all", title: "Exporting", subtitle: ""))\n        }\n      }\n  }\n}`,
          `final class Exporter {\n  func registerRefresh() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil, launchHandler: handleRefresh)\n  }\n  private func handleRefresh(_ task: BGTask) {\n    let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Exporting", subtitle: "Starting")\n    try? BGTaskScheduler.shared.↓submit(request)\n    task.setTaskCompleted(success: true)\n  }\n}`,
        ],
        valid: [
          `final class ExportController: UIViewController {\n  @IBAction func exportTapped(_ sender: UIButton) {\n    ${exportRequest}\n    try? BGTaskScheduler.shared.submit(request)\n  }\n}`,
          `final class AppDelegate: UIResponder, UIApplicationDelegate {\n  func applicationDidEnterBackground(_ application: UIApplication) {\n    let request = BGProcessingTaskRequest(identifier: "com.example.cleanup")\n    try? BGTaskScheduler.shared.submit(request)\n  }\n}`,
          `final class Exporter {\n  func applicationDidEnterBackground(_ application: UIApplication) {\n    pauseExports()\n  }\n  func startExport() {\n    ${exportRequest}\n    try? BGTaskScheduler.shared.submit(request)\n  }\n}`,
          `final class ExportController: UIViewController {\n  @IBAction func exportTapped(_ sender: UIButton) {\n    let startExport = {\n      let request = BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Exporting", subtitle: "Starting")\n      try? BGTaskScheduler.shared.submit(request)\n    }\n    startExport()\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation AppDelegate\n- (void)applicationDidEnterBackground:(UIApplication *)application {\n  BGContinuedProcessingTaskRequest *request = [[BGContinuedProcessingTaskRequest alloc] initWithIdentifier:@"com.example.export.video" title:@"Exporting" subtitle:@""];\n  [[BGTaskScheduler sharedScheduler] ↓submitTaskRequest:request error:nil];\n}\n@end`,
          `@implementation Exporter\n- (void)registerRefresh {\n  void (^handler)(BGTask *) = ^(BGTask *task) {\n    BGContinuedProcessingTaskRequest *request = [[BGContinuedProcessingTaskRequest alloc] initWithIdentifier:@"com.example.export.video" title:@"Exporting" subtitle:@""];\n    [[BGTaskScheduler sharedScheduler] ↓submitTaskRequest:request error:nil];\n    [task setTaskCompletedWithSuccess:YES];\n  };\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.refresh" usingQueue:nil launchHandler:handler];\n}\n@end`,
        ],
        valid: [
          `@implementation ExportController\n- (IBAction)exportTapped:(id)sender {\n  BGContinuedProcessingTaskRequest *request = [[BGContinuedProcessingTaskRequest alloc] initWithIdentifier:@"com.example.export.video" title:@"Exporting" subtitle:@""];\n  [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n}\n@end`,
          `@implementation ExportController\n- (IBAction)exportTapped:(id)sender {\n  void (^startExport)(void) = ^{\n    BGContinuedProcessingTaskRequest *request = [[BGContinuedProcessingTaskRequest alloc] initWithIdentifier:@"com.example.export.video" title:@"Exporting" subtitle:@""];\n    [[BGTaskScheduler sharedScheduler] submitTaskRequest:request error:nil];\n  };\n  startExport();\n}\n@end`,
        ],
      },
    },
    triggers: ['BGContinuedProcessingTaskRequest'],
  },
  create(context) {
    return { call: (call: CallExpr) => check(context, call) };
  },
});

function check(context: RuleContext, submit: CallExpr): void {
  const request = submittedContinuedRequest(submit);
  if (!request) return;
  const earliest = setsEarliestBeginDate(submit, request.name)
    ? ' It also sets earliestBeginDate, but a continued-processing task starts at once or not at all; work that may wait belongs in a BGProcessingTaskRequest.'
    : '';
  const reason = runsInBackground(submit, context.index);
  if (reason) {
    context.report({ at: submit.nameSpan, messageId: 'background', data: { because: reason.because, earliest } });
    return;
  }
  const caller = backgroundCaller(submit, context.index);
  if (caller) {
    const { call, reason: callerReason, fn } = caller;
    const related = [{ at: call.nameSpan, message: 'called here, in the background' }];
    context.report({ at: submit.nameSpan, messageId: 'backgroundCaller', data: { function: fn, line: call.range.start.line, because: callerReason.because, earliest }, related });
  }
}

/** A same-type call of the submitting function made in the background (one level). */
function backgroundCaller(submit: CallExpr, index: ProjectIndex): { call: CallExpr; reason: PhaseReason; fn: string } | undefined {
  const fn = enclosingFunction(submit);
  if (!fn) return undefined;
  for (const call of sameTypeCallers(fn)) {
    const reason = runsInBackground(call, index);
    if (reason) return { call, reason, fn: fn.name };
  }
  return undefined;
}
