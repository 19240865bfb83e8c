import { REGISTER_TASK, TaskFollower, defineRule, launchHandlerOf, registersContinuedProcessing } from '@bglint/core';
import type { CallExpr, RuleContext } from '@bglint/core';

const exporter = (work: string) =>
  `final class Exporter {\n  func exportTapped() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.export.video", using: nil) { task in\n      guard let task = task as? BGContinuedProcessingTask else { return }\n${work}\n    }\n    try? BGTaskScheduler.shared.submit(BGContinuedProcessingTaskRequest(identifier: "com.example.export.video", title: "Exporting", subtitle: "Starting"))\n  }\n}`;
const clean = (example: string) => example.replace('↓', '');

export default defineRule({
  meta: {
    id: 'continued-processing-no-progress',
    severity: 'warning',
    since: '0.3.0',
    summary: 'A continued-processing task must report its progress through task.progress.',
    why:
      'The system keeps a `BGContinuedProcessingTask` (iOS 26) running only while it makes visible progress: it shows ' +
      '`task.progress` to the user and ends tasks whose progress does not advance. A launch handler that never sets ' +
      '`progress.totalUnitCount` / `completedUnitCount` (or attaches a child progress with `addChild`) looks stalled and is ' +
      'expired. The task is followed into the functions of the same file it is handed to, so progress updated there counts; ' +
      'when the task is handed to code in another file, that code is trusted to update it. A handler is treated as a ' +
      'continued-processing one when it casts its task to `BGContinuedProcessingTask`, or when the identifier it registers ' +
      'is submitted with a `BGContinuedProcessingTaskRequest` in the same function or file.',
    symptom: 'The task expires early; the forum thread\'s diagnosis: "not updating progress frequently enough".',
    fix:
      'Set `task.progress.totalUnitCount` when the work starts and advance `task.progress.completedUnitCount` as it goes ' +
      '(or `task.progress.addChild(workProgress, withPendingUnitCount:)`), often enough that the system sees it move.',
    references: [
      'https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtask',
      'https://developer.apple.com/documentation/backgroundtasks/performing-long-running-tasks-on-ios-and-ipados',
      'https://developer.apple.com/forums/thread/818623',
    ],
    tags: ['correctness', 'background-tasks', 'continued-processing'],
    precision: 'high',
    messages: {
      noProgress: 'This continued-processing task never updates task.progress, here or in the functions it is handed to: the system sees no progress and expires the task before the work is done. Set progress.totalUnitCount and advance completedUnitCount as the work goes.',
    },
    examples: {
      swift: {
        invalid: [
          exporter(`      task.expirationHandler = { VideoExport.cancel() }\n      VideoExport.run { ok in task.setTaskCompleted(success: ok) }`),
          `final class Exporter {\n  func start() {\n    BGTaskScheduler.shared.↓register(forTaskWithIdentifier: "com.example.export.video", using: nil) { task in\n      self.export(task as! BGContinuedProcessingTask)\n    }\n  }\n  private func export(_ task: BGContinuedProcessingTask) {\n    task.expirationHandler = { VideoExport.cancel() }\n    print(task.progress.fractionCompleted)\n    VideoExport.run { ok in task.setTaskCompleted(success: ok) }\n  }\n}`,
        ],
        valid: [
          clean(exporter(`      task.progress.totalUnitCount = 100\n      VideoExport.run(onStep: { task.progress.completedUnitCount += 1 }) { ok in task.setTaskCompleted(success: ok) }`)),
          `final class Exporter {\n  func start() {\n    BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.export.video", using: nil) { task in\n      self.export(task as! BGContinuedProcessingTask)\n    }\n  }\n  private func export(_ task: BGContinuedProcessingTask) {\n    let work = VideoExport.start()\n    task.progress.addChild(work.progress, withPendingUnitCount: 100)\n    work.onFinish { ok in task.setTaskCompleted(success: ok) }\n  }\n}`,
          clean(exporter(`      ExportQueue.shared.run(task)`)),
          `func registerRefresh() {\n  BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.refresh", using: nil) { task in\n    Feed.refresh { ok in task.setTaskCompleted(success: ok) }\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation Exporter\n- (void)exportTapped {\n  [[BGTaskScheduler sharedScheduler] ↓registerForTaskWithIdentifier:@"com.example.export.video" usingQueue:nil launchHandler:^(BGTask *task) {\n    BGContinuedProcessingTask *export = (BGContinuedProcessingTask *)task;\n    [self.exporter runWithCompletion:^(BOOL ok) { [export setTaskCompletedWithSuccess:ok]; }];\n  }];\n}\n@end`,
        ],
        valid: [
          `@implementation Exporter\n- (void)exportTapped {\n  [[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"com.example.export.video" usingQueue:nil launchHandler:^(BGTask *task) {\n    BGContinuedProcessingTask *export = (BGContinuedProcessingTask *)task;\n    export.progress.totalUnitCount = 100;\n    [self.exporter runWithStep:^{ export.progress.completedUnitCount += 1; } completion:^(BOOL ok) { [export setTaskCompletedWithSuccess:ok]; }];\n  }];\n}\n@end`,
        ],
      },
    },
    triggers: ['BGContinuedProcessingTask'],
  },
  create(context) {
    return { [`call:${REGISTER_TASK}`]: (call: CallExpr) => check(context, call) };
  },
});

function check(context: RuleContext, call: CallExpr): void {
  const handler = launchHandlerOf(call, context.index);
  if (!handler || !registersContinuedProcessing(call, context.index)) return;
  const usage = new TaskFollower(context.index).usage(handler.body, [handler.task]);
  if (usage.touchesProgress || usage.escapes) return;
  context.report({ at: call.nameSpan, messageId: 'noProgress' });
}
