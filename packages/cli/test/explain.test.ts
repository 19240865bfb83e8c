/**
 * `bglint explain`: real wordings of each symptom family name the right rule first; lines that are
 * not bglint's (background refresh unavailable, too many requests, an ordinary Swift fatal error)
 * name none.
 */
import { run } from '@bglint/cli';
import { rulesById } from '@bglint/rules';

function bglint(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const exitCode = run(argv, { cwd: process.cwd(), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin, isTTY: false, env: {} });
  return { exitCode, stdout, stderr };
}

function named(log: string): string[] {
  const { stdout, exitCode } = bglint(['explain', '--stdin', '--format', 'json'], log);
  const ids = (JSON.parse(stdout) as { rules: { id: string }[] }).rules.map((r) => r.id);
  expect(exitCode).toBe(ids.length ? 0 : 1);
  return ids;
}

const IPS_HEADER = '{"app_name":"Uploader","timestamp":"2025-10-02 09:12:44.00 +0200","app_version":"3.2","bug_type":"309","os_version":"iPhone OS 18.1 (22B83)","bundleID":"com.example.uploader","name":"Uploader"}';

const families: [string, string, string[]][] = [
  ['background-task-unbalanced', 'created over 30 seconds ago', [
    'Background Task 42 ("Upload"), was created over 30 seconds ago. In applications running in the background, this creates a risk of termination.',
    '[BackgroundTask] Background Task 1 ("Called by Uploader, from $s8Uploader11AppDelegateC5startyyF"), was created over 30 seconds ago. In applications running in the background, this creates a risk of termination. Put a breakpoint in UIApplicationEndBackgroundTaskError() to debug.',
    'Uploader[812:61234] Background Task 7 ("DataSync"), was created over 30 seconds ago. In applications running in the background, this creates a risk of termination.',
  ]],
  ['background-task-unbalanced', 'assertions beyond permitted time, 0x8badf00d', [
    'Exception Type:  EXC_CRASH (SIGKILL)\nTermination Reason: RUNNINGBOARD 0x8badf00d\n[app<com.example.uploader(A1B2C3)>:812] has active assertions beyond permitted time: {(<RBSAssertion| 34-812-5678 target:812 explanation:"Shared Background Assertion 4 for com.example.uploader" reason: finishTask>)}',
    'Termination Description: SPRINGBOARD, <RBSTerminateContext| domain:10 code:0x8BADF00D explanation:[application<com.example.uploader>:812] has active assertions beyond permitted time: {(<BKProcessAssertion: 0x282f1c000; "Called by UIKitCore, from <redacted>"; id: 812-1B2F; reason: finishTask; usage: finishTask; valid: YES>)}',
    `${IPS_HEADER}\n{"exception":{"type":"EXC_CRASH","signal":"SIGKILL"},"termination":{"code":2343432205,"flags":6,"namespace":"RUNNINGBOARD","reasons":["[app<com.example.uploader(A1B2C3)>:812] has active assertions beyond permitted time: {(<RBSAssertion| 34-812-5678 target:812 explanation:\\"Shared Background Assertion 4 for com.example.uploader\\" attributes:[<RBSDomainAttribute| domain:\\"com.apple.common\\" name:\\"FinishTaskUninterruptable\\">]>)}"]},"threads":[{"id":1,"queue":"com.apple.main-thread","frames":[{"symbol":"mach_msg2_trap"}]}]}`,
  ]],
  ['background-task-deferred-end', 'still not ended after expiration handlers', [
    'Background task still not ended after expiration handlers were called',
    '[BackgroundTask] Background task still not ended after expiration handlers were called: <UIBackgroundTaskInfo: 0x282d7ab40>: taskID = 36, taskName = Called by MyApp, from MyMethod, creationTime = 892832 (elapsed = 26). This app will likely be terminated by the system. Call UIApplication.endBackgroundTask(:) to avoid this.',
    'Uploader[812:61234] [BackgroundTask] Background task still not ended after expiration handlers were called: <_UIBackgroundTaskInfo: 0x600001f4c6c0>: taskID = 2, taskName = Called by UIKitCore, from -[UIApplication _beginBackgroundTaskWithName:expirationHandler:], creationTime = 12345 (elapsed = 29). Call -[UIApplication endBackgroundTask:] to avoid this.',
  ]],
  ['bgtask-handler-main-actor', 'EXC_BREAKPOINT in _dispatch_assert_queue_fail on the BGTaskScheduler queue', [
    'Thread 23 Queue: com.apple.BGTaskScheduler (com.mycompany.MyApp.RefreshTask) (serial)\n0 _dispatch_assert_queue_fail\n12 _pthread_wqthread',
    'Exception Type:  EXC_BREAKPOINT (SIGTRAP)\nThread 5 Crashed:: Dispatch queue: com.apple.BGTaskScheduler (com.example.uploader.refresh)\n0   libdispatch.dylib  0x00000001a1b2c3d4 _dispatch_assert_queue_fail + 120\n1   libdispatch.dylib  0x00000001a1b2c300 dispatch_assert_queue + 196\n2   libswift_Concurrency.dylib  0x00000001b2c3d4e5 swift_task_isCurrentExecutorImpl + 280',
    `${IPS_HEADER}\n{"exception":{"codes":"0x0000000000000001, 0x00000001a1b2c3d4","type":"EXC_BREAKPOINT","signal":"SIGTRAP"},"faultingThread":5,"threads":[{"triggered":true,"id":5,"queue":"com.apple.BGTaskScheduler (com.example.uploader.refresh)","frames":[{"imageOffset":14292,"symbol":"_dispatch_assert_queue_fail","symbolLocation":120,"imageIndex":3},{"symbol":"dispatch_assert_queue"}]}]}`,
    'Incorrect actor executor assumption; Expected same executor as MainActor.',
  ]],
  ['continued-processing-gpu-unchecked', 'IOGPUMetalError: Insufficient Permission', [
    'IOGPUMetalError: Insufficient Permission (to submit GPU work from background)',
    'Execution of the command buffer was aborted due to an error during execution. Insufficient Permission (to submit GPU work from background) (00000006:kIOGPUCommandBufferCallbackErrorBackgroundExecutionNotPermitted)',
    'Error Domain=MTLCommandBufferErrorDomain Code=7 "Insufficient Permission (to submit GPU work from background) (00000006:kIOGPUCommandBufferCallbackErrorBackgroundExecutionNotPermitted)"',
  ]],
];

describe.each(families)('%s first: %s', (ruleId, _family, wordings) => {
  it.each(wordings)('%s', (log) => {
    expect(named(log)[0]).toBe(ruleId);
  });
});

it('the GPU lines name the entitlement rule second', () => {
  expect(named('IOGPUMetalError: Insufficient Permission (to submit GPU work from background)')).toEqual(['continued-processing-gpu-unchecked', 'continued-processing-gpu-entitlement']);
});

it('"still not ended after expiration handlers" names the deferred end first, an unbalanced task second', () => {
  expect(named('Background task still not ended after expiration handlers were called').slice(0, 2)).toEqual(['background-task-deferred-end', 'background-task-unbalanced']);
});

// Rules being written on other branches: their patterns apply once they are registered.
const deadlock = [
  'BUG IN CLIENT OF LIBDISPATCH: dispatch_sync called on queue already owned by current thread',
  'Application Specific Information:\nBUG IN CLIENT OF LIBDISPATCH: dispatch_sync called on queue already owned by current thread\nThread 0 Crashed:: Dispatch queue: com.apple.main-thread\n0 libdispatch.dylib __DISPATCH_WAIT_FOR_QUEUE__ + 484',
  'Thread 0 Crashed:\n0   libdispatch.dylib  0x0000000180123456 __DISPATCH_WAIT_FOR_QUEUE__ + 484\n1   libdispatch.dylib  0x0000000180123000 _dispatch_sync_f_slow + 148',
];
it.each(deadlock)('main-queue-sync-deadlock first when registered, else no rule: %s', (log) => {
  expect(named(log)[0]).toBe(rulesById.has('main-queue-sync-deadlock') ? 'main-queue-sync-deadlock' : undefined);
});

const noLaunchHandler = [
  "*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'No launch handler registered for task with identifier com.example.uploader.refresh'",
  '[BGTaskScheduler] No launch handler registered for task with identifier com.example.uploader.refresh',
  `${IPS_HEADER}\n{"exception":{"type":"EXC_CRASH","signal":"SIGABRT"},"asi":{"libsystem_c.dylib":["abort() called"],"CoreFoundation":["*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'No launch handler registered for task with identifier com.example.uploader.refresh'"]}}`,
];
it.each(noLaunchHandler)('"No launch handler registered": bgtask-register-timing, then bgtask-plist-mismatch: %s', (log) => {
  expect(named(log)).toEqual(['bgtask-register-timing', 'bgtask-plist-mismatch']);
});

it.each([
  "*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'All launch handlers must be registered before application finishes launching'",
  "*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'Launch handler for task with identifier com.example.uploader.refresh has already been registered'",
])('registering late or twice names bgtask-register-timing alone: %s', (log) => {
  expect(named(log)).toEqual(['bgtask-register-timing']);
});

it('submit failing with notPermitted names bgtask-plist-mismatch', () => {
  expect(named('Could not schedule app refresh: Error Domain=BGTaskSchedulerErrorDomain Code=3 "(null)"')[0]).toBe('bgtask-plist-mismatch');
});

const notOurs = [
  'Could not schedule app refresh: Error Domain=BGTaskSchedulerErrorDomain Code=1 "(null)"',
  'The operation couldn’t be completed. (BGTaskSchedulerErrorDomain error 1.)',
  'Failed to submit request: Error Domain=BGTaskSchedulerErrorDomain Code=2 "(null)"',
  'Uploader/ContentView.swift:42: Fatal error: Unexpectedly found nil while unwrapping an Optional value',
  'Exception Type:  EXC_BREAKPOINT (SIGTRAP)\nTermination Reason: SIGNAL 5 Trace/BPT trap: 5\nThread 0 Crashed:: Dispatch queue: com.apple.main-thread\n0   libswiftCore.dylib  _assertionFailure(_:_:file:line:flags:) + 172\nFatal error: Index out of range',
  'Thread 3 Crashed:: Dispatch queue: com.apple.BGTaskScheduler (com.example.uploader.refresh)\nException Type: EXC_BREAKPOINT (SIGTRAP)\nFatal error: Index out of range',
];
it.each(notOurs)('names no rule: %s', (log) => {
  expect(named(log)).toEqual([]);
  expect(bglint(['explain', log]).stdout).toMatch(/^No bglint rule explains this log/);
});

describe('output', () => {
  it('text: the rule, the matching line, why, fix, and the command that finds it', () => {
    const { stdout, exitCode } = bglint(['explain', 'Background task still not ended after expiration handlers were called']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^1\. background-task-deferred-end \(error\): /);
    expect(stdout).toContain('   the log: Background task still not ended after expiration handlers were called');
    expect(stdout).toContain(`   why: ${rulesById.get('background-task-deferred-end')!.meta.why}`);
    expect(stdout).toContain("   find it: bglint --rule 'background-task-deferred-end: error' .");
    expect(stdout).toContain('2. background-task-unbalanced');
  });

  it('a rule id prints its page; --format json its summary', () => {
    const page = bglint(['explain', 'bgtask-handler-main-actor']);
    expect(page.stdout).toMatch(/^# bgtask-handler-main-actor\n/);
    const json = JSON.parse(bglint(['explain', 'bgtask-handler-main-actor', '--format', 'json']).stdout);
    expect(json).toMatchObject({ id: 'bgtask-handler-main-actor', why: expect.any(String), fix: expect.any(String), docsUrl: expect.stringMatching(/bgtask-handler-main-actor\.md$/) });
  });

  it('json for a log: each rule with its weight, evidence and command', () => {
    const json = JSON.parse(bglint(['explain', '--format', 'json', 'IOGPUMetalError: Insufficient Permission (to submit GPU work from background)']).stdout);
    expect(json.rules[0]).toMatchObject({ id: 'continued-processing-gpu-unchecked', weight: 3, evidence: ['IOGPUMetalError: Insufficient Permission (to submit GPU work from background)'], command: "bglint --rule 'continued-processing-gpu-unchecked: error' ." });
  });

  it('nothing to explain is a usage error', () => {
    expect(bglint(['explain'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('explain needs the log text') });
    expect(bglint(['explain', '--format', 'xml', 'x']).exitCode).toBe(2);
  });
});
