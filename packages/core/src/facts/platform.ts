/**
 * Which platform a source file's code runs on, as far as the project model and the file tell: the
 * target's platforms when a project file names them, else the file's imports (with no project file,
 * a file that imports AppKit or Cocoa and not UIKit is macOS code).
 */
import type { ProjectFacts } from './project';

const MAC_IMPORT = /^\s*(?:@?import|#import|#include)\s*<?(?:AppKit|Cocoa)\b/m;
const UIKIT_IMPORT = /^\s*(?:@?import|#import|#include)\s*<?(?:UIKit|SwiftUI)\b/m;

/** A file that imports AppKit or Cocoa and neither UIKit nor SwiftUI (SwiftUI code may be shared with iOS). */
export function isMacOSCode(text: string): boolean {
  return MAC_IMPORT.test(text) && !UIKIT_IMPORT.test(text);
}

/**
 * Does the code run as a native macOS process (not Mac Catalyst, whose apps use the iOS keychain and
 * frameworks)? From the target's platforms when known; else from the file's imports.
 */
export function runsOnMacOS(project: ProjectFacts | undefined, text: string): boolean {
  if (project && project.platforms.length > 0) return project.platforms.includes('macos');
  return isMacOSCode(text);
}

/**
 * Can this code run in an iOS app process (an app, or a library linked into one)? False for targets
 * that build only for other platforms, for app extensions and tests, and, with no platform known,
 * for macOS code.
 */
export function mayRunInIOSApp(project: ProjectFacts | undefined, text: string): boolean {
  if (project && (project.bundle === 'app-extension' || project.bundle === 'tests')) return false;
  if (project && project.platforms.length > 0) return project.platforms.includes('ios');
  return !isMacOSCode(text);
}
