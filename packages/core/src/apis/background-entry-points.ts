/**
 * Methods the system calls while the app runs in the background, by full name, with how a message
 * names them. Shared by the syntax-view scopes (apis/background-scopes.ts) and the project-wide reach
 * map (calls/reach.ts), so the two cannot drift apart.
 */
export const BACKGROUND_METHODS = new Map<string, string>(Object.entries({
  'application(_:handleEventsForBackgroundURLSession:completionHandler:)': 'handleEventsForBackgroundURLSession',
  'application(_:performFetchWithCompletionHandler:)': 'a background fetch',
  'application(_:didReceiveRemoteNotification:fetchCompletionHandler:)': 'a silent push handler',
  'didReceive(_:withContentHandler:)': 'a notification service extension',
  'getTimeline(in:completion:)': 'a widget timeline provider',
  'timeline(for:in:)': 'a widget timeline provider',
  'urlSessionDidFinishEvents(forBackgroundURLSession:)': 'background URLSession events',
}));
