/** The files whose change can change findings in other files: configs, project files, sources (the index). */
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, languageOf } from '@bglint/core';
import type { FileSystemWatcher } from 'vscode-languageserver';

export const WATCHED_GLOBS = [
  `**/{${CONFIG_FILE_NAMES.join(',')}}`,
  '**/*Info.plist',
  '**/*.entitlements',
  '**/project.pbxproj',
  '**/Package.swift',
  '**/*.{swift,m,mm,h}',
];

export const WATCHERS: FileSystemWatcher[] = WATCHED_GLOBS.map((globPattern) => ({ globPattern }));

/** Info.plist and entitlements files, which get diagnostics of their own when open. */
export function isPropertyList(file: string): boolean {
  return /(Info\.plist|\.entitlements)$/.test(file);
}

export function isSourceFile(file: string): boolean {
  return languageOf(file) !== undefined;
}

export function isConfigFile(file: string): boolean {
  return CONFIG_FILE_NAMES.includes(path.basename(file));
}
