/**
 * How Objective-C spellings map onto the Swift names rules match on. Only APIs whose Swift name
 * cannot be derived by the general rule (`fooWithBar:baz:` → `foo(withBar:baz:)`) are listed.
 */

/** A class message that Swift imports as a property (`[UIApplication sharedApplication]` → `UIApplication.shared`). */
export const OBJC_CLASS_PROPERTIES: Record<string, { type: string; name: string }> = {
  'UIApplication sharedApplication': { type: 'UIApplication', name: 'shared' },
  'NSApplication sharedApplication': { type: 'NSApplication', name: 'shared' },
  'BGTaskScheduler sharedScheduler': { type: 'BGTaskScheduler', name: 'shared' },
  'BGTaskScheduler supportedResources': { type: 'BGTaskScheduler', name: 'supportedResources' },
  'NSOperationQueue mainQueue': { type: 'OperationQueue', name: 'main' },
  'NSURLSession sharedSession': { type: 'URLSession', name: 'shared' },
  'NSUserDefaults standardUserDefaults': { type: 'UserDefaults', name: 'standard' },
  'NSProcessInfo processInfo': { type: 'ProcessInfo', name: 'processInfo' },
  'NSFileManager defaultManager': { type: 'FileManager', name: 'default' },
  'NSNotificationCenter defaultCenter': { type: 'NotificationCenter', name: 'default' },
};

/** A class message that Swift imports as an initializer or a static method on a renamed type. */
export const OBJC_CLASS_METHODS: Record<string, { type?: string; name: string }> = {
  'NSURLSession sessionWithConfiguration:delegate:delegateQueue:': { name: 'URLSession(configuration:delegate:delegateQueue:)' },
  'NSURLSession sessionWithConfiguration:': { name: 'URLSession(configuration:)' },
  'NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:': {
    type: 'URLSessionConfiguration',
    name: 'background(withIdentifier:)',
  },
  'NSURLSessionConfiguration backgroundSessionConfiguration:': {
    type: 'URLSessionConfiguration',
    name: 'background(withIdentifier:)',
  },
  'NSURLSessionConfiguration defaultSessionConfiguration': { type: 'URLSessionConfiguration', name: 'default()' },
};

/** Instance selectors whose Swift names drop or rename words. */
export const OBJC_SELECTORS: Record<string, string> = {
  'beginBackgroundTaskWithExpirationHandler:': 'beginBackgroundTask(expirationHandler:)',
  'beginBackgroundTaskWithName:expirationHandler:': 'beginBackgroundTask(withName:expirationHandler:)',
  'endBackgroundTask:': 'endBackgroundTask(_:)',
  'registerForTaskWithIdentifier:usingQueue:launchHandler:': 'register(forTaskWithIdentifier:using:launchHandler:)',
  'submitTaskRequest:error:': 'submit(_:)',
  'setTaskCompletedWithSuccess:': 'setTaskCompleted(success:)',
  'cancelTaskRequestWithIdentifier:': 'cancel(taskRequestWithIdentifier:)',
  'uploadTaskWithRequest:fromFile:': 'uploadTask(with:fromFile:)',
  'uploadTaskWithRequest:fromFile:completionHandler:': 'uploadTask(with:fromFile:completionHandler:)',
  'uploadTaskWithRequest:fromData:': 'uploadTask(with:from:)',
  'uploadTaskWithRequest:fromData:completionHandler:': 'uploadTask(with:from:completionHandler:)',
  'uploadTaskWithStreamedRequest:': 'uploadTask(withStreamedRequest:)',
  'uploadTaskWithResumeData:': 'uploadTask(withResumeData:)',
  'downloadTaskWithRequest:': 'downloadTask(with:)',
  'downloadTaskWithURL:': 'downloadTask(with:)',
  'downloadTaskWithRequest:completionHandler:': 'downloadTask(with:completionHandler:)',
  'downloadTaskWithURL:completionHandler:': 'downloadTask(with:completionHandler:)',
  'downloadTaskWithResumeData:': 'downloadTask(withResumeData:)',
  'dataTaskWithRequest:': 'dataTask(with:)',
  'dataTaskWithURL:': 'dataTask(with:)',
  'dataTaskWithRequest:completionHandler:': 'dataTask(with:completionHandler:)',
  'dataTaskWithURL:completionHandler:': 'dataTask(with:completionHandler:)',
  'performSelector:withObject:afterDelay:': 'perform(_:with:afterDelay:)',
  'performSelector:withObject:afterDelay:inModes:': 'perform(_:with:afterDelay:inModes:)',
  'addOperationWithBlock:': 'addOperation(_:)',
  'containsObject:': 'contains(_:)',
  'URLSessionDidFinishEventsForBackgroundURLSession:': 'urlSessionDidFinishEvents(forBackgroundURLSession:)',
  'didReceiveNotificationRequest:withContentHandler:': 'didReceive(_:withContentHandler:)',
  'webSocketTaskWithURL:': 'webSocketTask(with:)',
  'webSocketTaskWithRequest:': 'webSocketTask(with:)',
};

/** C functions Swift imports as methods on their first argument (`dispatch_async(q, b)` → `q.async(execute:)`). */
export const C_FUNCTIONS_AS_METHODS: Record<string, { name: string; receiverArg: number }> = {
  dispatch_async: { name: 'async(execute:)', receiverArg: 0 },
  dispatch_sync: { name: 'sync(execute:)', receiverArg: 0 },
  dispatch_barrier_async: { name: 'async(flags:execute:)', receiverArg: 0 },
  dispatch_after: { name: 'asyncAfter(deadline:execute:)', receiverArg: 1 },
  dispatch_group_wait: { name: 'wait(timeout:)', receiverArg: 0 },
  dispatch_semaphore_wait: { name: 'wait(timeout:)', receiverArg: 0 },
};

/** C functions that return a well-known queue. */
export const C_FUNCTIONS_AS_PROPERTIES: Record<string, { type: string; name: string }> = {
  dispatch_get_main_queue: { type: 'DispatchQueue', name: 'main' },
};

/** Objective-C property names whose Swift names differ (`discretionary` is `isDiscretionary`). */
export const OBJC_PROPERTY_NAMES: Record<string, string> = {
  discretionary: 'isDiscretionary',
};

/** Foundation class names Swift drops the `NS` from. */
export const OBJC_TYPE_NAMES: Record<string, string> = {
  NSURLSession: 'URLSession',
  NSURLSessionConfiguration: 'URLSessionConfiguration',
  NSOperationQueue: 'OperationQueue',
  NSUserDefaults: 'UserDefaults',
  NSProcessInfo: 'ProcessInfo',
  NSFileManager: 'FileManager',
  NSNotificationCenter: 'NotificationCenter',
  NSMutableURLRequest: 'URLRequest',
  NSURLRequest: 'URLRequest',
};

// Lookups by a name read from source: `constructor` or `toString` must not find Object.prototype's members.
for (const table of [OBJC_CLASS_PROPERTIES, OBJC_CLASS_METHODS, OBJC_SELECTORS, C_FUNCTIONS_AS_METHODS, C_FUNCTIONS_AS_PROPERTIES, OBJC_PROPERTY_NAMES, OBJC_TYPE_NAMES]) {
  Object.setPrototypeOf(table, null);
}

/** Swift's name for an ObjC selector: the table, else `fooWithBar:baz:` → `foo(withBar:baz:)`. */
export function swiftNameForSelector(selector: string): string {
  const known = OBJC_SELECTORS[selector];
  if (known) return known;
  if (!selector.includes(':')) return `${selector}()`;
  const pieces = selector.split(':').slice(0, -1);
  const first = pieces[0] ?? '';
  const withAt = first.search(/With[A-Z]/);
  const [base, firstLabel] = withAt > 0 ? [first.slice(0, withAt), 'w' + first.slice(withAt + 1)] : [first, '_'];
  return `${base}(${[firstLabel, ...pieces.slice(1)].map((l) => `${l}:`).join('')})`;
}

/** `foo(withBar:baz:)` → { base: 'foo', labels: ['withBar', 'baz'] }; `finish()` → labels []. */
export function parseSwiftName(name: string): { base: string; labels: string[] } {
  const open = name.indexOf('(');
  if (open < 0) return { base: name, labels: [] };
  const inner = name.slice(open + 1, name.lastIndexOf(')'));
  return { base: name.slice(0, open), labels: inner ? inner.split(':').filter((l) => l !== '') : [] };
}

export function swiftName(base: string, labels: string[]): string {
  return `${base}(${labels.map((l) => `${l}:`).join('')})`;
}
