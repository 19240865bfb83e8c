import type { ProjectIndex } from '../facts/lexical-index';
import { plistStrings, type PlistFacts } from '../facts/project';

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

/**
 * `UIBackgroundModes` under which iOS launches a terminated app in the background, running its launch
 * code (`application(_:didFinishLaunchingWithOptions:)`, a SwiftUI `App`'s `init`) while the device may
 * be locked: a silent push or a VoIP push, background fetch and BGTasks, location events (significant
 * changes, regions, visits), and Bluetooth events when the app implements state restoration. `audio`
 * and the others keep a running app alive but do not relaunch it.
 */
const RELAUNCHING_MODES = ['remote-notification', 'voip', 'fetch', 'processing', 'location', 'bluetooth-central', 'bluetooth-peripheral'];

/** The modes of `UIBackgroundModes` that relaunch this app in the background (Bluetooth ones only with state restoration in the project). */
export function backgroundLaunchModes(infoPlist: PlistFacts | undefined, index: ProjectIndex): string[] {
  const modes = plistStrings(infoPlist, 'UIBackgroundModes').map((m) => m.value).filter((m) => RELAUNCHING_MODES.includes(m));
  return modes.filter((m) => !m.startsWith('bluetooth-') || restoresBluetoothState(index));
}

/** Does some type of the project implement Core Bluetooth state restoration (the system relaunches the app for Bluetooth events)? */
export function restoresBluetoothState(index: ProjectIndex): boolean {
  for (const t of index.types.values()) {
    if (t.methods.some((m) => m.fullName === 'centralManager(_:willRestoreState:)' || m.fullName === 'peripheralManager(_:willRestoreState:)')) return true;
  }
  return false;
}
