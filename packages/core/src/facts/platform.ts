/**
 * Which platform a file's code runs on, for rules about platform-specific behaviour. The target's
 * platforms come from the project model; with no project file they are unknown, and a file that
 * imports AppKit or Cocoa and not UIKit is macOS code.
 */
import type { Language } from '../syntax/ir';
import type { ProjectFacts } from './project';

const MAC_IMPORT = { swift: /^\s*import\s+(AppKit|Cocoa)\b/m, objc: /^\s*(#import\s*<(AppKit|Cocoa)\/|@import\s+(AppKit|Cocoa)\b)/m };
const UIKIT_IMPORT = { swift: /^\s*import\s+UIKit\b/m, objc: /^\s*(#import\s*<UIKit\/|@import\s+UIKit\b)/m };

/**
 * Does the code run as a native macOS process (not Mac Catalyst, whose apps use the iOS keychain and
 * frameworks)? From the target's platforms when known; else from the file's imports.
 */
export function runsOnMacOS(project: ProjectFacts | undefined, text: string, language: Language): boolean {
  if (project && project.platforms.length > 0) return project.platforms.includes('macos');
  return MAC_IMPORT[language].test(text) && !UIKIT_IMPORT[language].test(text);
}
