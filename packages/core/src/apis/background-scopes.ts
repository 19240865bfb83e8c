/**
 * Code that runs while the app is in the background, possibly with the device locked: BGTask launch
 * handlers, expiration handlers, background fetch and silent-push handlers, background URLSession
 * events, and the extension points the system runs on its own (notification service, widgets).
 */
import type { SyntaxNode } from '../syntax/ir';
import { ancestors, bindArguments } from '../syntax/query';
import { expirationHandlerOf } from './background-tasks';

/** Methods the system calls in the background, by Swift name (ObjC selectors are lowered to these). */
const BACKGROUND_METHODS: Record<string, string> = {
  'application(_:handleEventsForBackgroundURLSession:completionHandler:)': 'handleEventsForBackgroundURLSession',
  'application(_:performFetchWithCompletionHandler:)': 'a background fetch',
  'application(_:didReceiveRemoteNotification:fetchCompletionHandler:)': 'a silent push handler',
  'didReceive(_:withContentHandler:)': 'a notification service extension',
  'getTimeline(in:completion:)': 'a widget timeline provider',
  'timeline(for:in:)': 'a widget timeline provider',
  'urlSessionDidFinishEvents(forBackgroundURLSession:)': 'background URLSession events',
};

const LAUNCH_HANDLER = 'register(forTaskWithIdentifier:using:launchHandler:)';

/** What background entry point `node` runs in (a description for messages), if any. */
export function backgroundScopeOf(node: SyntaxNode): string | undefined {
  for (const a of ancestors(node)) {
    if (a.kind === 'function') return BACKGROUND_METHODS[a.name];
    if (a.kind !== 'closure') continue;
    const parent = a.parent;
    if (parent?.kind === 'call') {
      if (bindArguments(parent, LAUNCH_HANDLER)?.get('launchHandler') === a) return 'a BGTask launch handler';
      if (expirationHandlerOf(parent) === a) return 'an expiration handler';
      if (parent.baseName === 'backgroundTask') return 'a SwiftUI background task';
    }
    if (parent?.kind === 'assign' && parent.value === a && parent.target.kind === 'member' && parent.target.name === 'expirationHandler') return 'an expiration handler';
  }
  return undefined;
}
