/**
 * Turns `@bglint/project`'s documents into the plain `ProjectFacts` rules read. Used by the CLI (from
 * the files on disk) and by the RuleTester (from the plist objects an example declares).
 */
import { readPlist, expandBuildVariables, isPlistDict as isDict, type PlistDocument, type PlistValue, type BuildSettings } from '@bglint/project';
import type { Range } from '../types';
import { plistPathKey, type PlistDictValue, type PlistFacts } from './project';

type PlistOk = Extract<PlistDocument, { ok: true }>;

/** Keys whose `INFOPLIST_KEY_*` value is a space-separated list, as Xcode writes array settings. */
const ARRAY_KEYS = new Set(['UIBackgroundModes', 'BGTaskSchedulerPermittedIdentifiers', 'UIRequiredDeviceCapabilities']);

/**
 * A parsed plist as facts: strings with `$(VARIABLES)` are expanded when every variable is a known
 * build setting and kept as written otherwise (rules treat a kept variable as "any text", never a guess).
 */
export function plistFacts(document: PlistOk, file: string, settings: BuildSettings = {}): PlistFacts {
  const value = isDict(document.value) ? (expandStrings(document.value, settings) as PlistDictValue) : {};
  const locations: PlistFacts['locations'] = {};
  if (document.format === 'xml') {
    addLocation(locations, document, file, []);
    for (const [key, child] of Object.entries(value)) {
      addLocation(locations, document, file, [key]);
      if (Array.isArray(child)) child.forEach((_, i) => addLocation(locations, document, file, [key, i]));
    }
  }
  return { file, format: document.format, value, locations };
}

/**
 * Merges the keys Xcode generates from `INFOPLIST_KEY_*` settings into the Info.plist (arrays are
 * united, a key the file writes wins otherwise). Without a file, the generated keys are the plist.
 * `settingAt` tells where a setting is written in the project file, when known.
 */
export function withGeneratedKeys(
  infoPlist: PlistFacts | undefined,
  generated: Record<string, string>,
  projectFile: string,
  settingAt: (key: string) => Range | undefined = () => undefined,
): PlistFacts {
  const merged: PlistFacts = infoPlist
    ? { ...infoPlist, value: { ...infoPlist.value }, locations: { ...infoPlist.locations } }
    : { file: projectFile, format: 'generated', value: {}, locations: {} };
  for (const [key, raw] of Object.entries(generated)) {
    const value: PlistValue = ARRAY_KEYS.has(key) ? raw.split(/\s+/).filter(Boolean) : raw;
    const existing = merged.value[key];
    if (Array.isArray(existing) && Array.isArray(value)) merged.value[key] = [...existing, ...value.filter((v) => !existing.includes(v))];
    else if (existing === undefined) merged.value[key] = value;
    else continue;
    const range = settingAt(key);
    if (range && !merged.locations[plistPathKey([key])]) merged.locations[plistPathKey([key])] = { file: projectFile, range };
  }
  return merged;
}

/** Where `INFOPLIST_KEY_<key> =` is first written in a project.pbxproj or .xcconfig text. */
export function buildSettingRange(projectText: string, key: string): Range | undefined {
  const lines = projectText.split('\n');
  const setting = `INFOPLIST_KEY_${key}`;
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i]!.search(new RegExp(`\\b${setting}\\s*=`));
    if (column >= 0) return { start: { line: i + 1, column: column + 1 }, end: { line: i + 1, column: column + 1 + setting.length } };
  }
  return undefined;
}

/** Reads plist text or bytes straight into facts; a malformed file gives its error (message, line). */
export function readPlistFacts(bytes: Buffer | Uint8Array | string, file: string, settings: BuildSettings = {}):
  { ok: true; plist: PlistFacts } | { ok: false; error: { message: string; line?: number; column?: number } } {
  const document = readPlist(bytes, file);
  return document.ok ? { ok: true, plist: plistFacts(document, file, settings) } : { ok: false, error: document.error };
}

/** Example plists (plain objects) as facts, through the real reader so key lines are real. */
export function plistFactsFromObject(value: PlistDictValue, file: string): PlistFacts {
  const document = readPlist(plistXml(value), file);
  if (!document.ok) throw new Error(`example plist for ${file} does not parse: ${document.error.message}`);
  return plistFacts(document, file);
}

/** An XML plist for a dictionary of strings, booleans, numbers, arrays and dictionaries. */
export function plistXml(value: PlistDictValue): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<plist version="1.0">'];
  writeValue(value, 0, lines);
  lines.push('</plist>', '');
  return lines.join('\n');
}

function writeValue(value: PlistValue, depth: number, out: string[]): void {
  const pad = '\t'.repeat(depth);
  if (typeof value === 'string') out.push(`${pad}<string>${escapeXml(value)}</string>`);
  else if (typeof value === 'boolean') out.push(`${pad}<${value}/>`);
  else if (typeof value === 'number') out.push(`${pad}<${Number.isInteger(value) ? 'integer' : 'real'}>${value}</${Number.isInteger(value) ? 'integer' : 'real'}>`);
  else if (Array.isArray(value)) {
    out.push(`${pad}<array>`);
    value.forEach((item) => writeValue(item, depth + 1, out));
    out.push(`${pad}</array>`);
  } else if (isDict(value)) {
    out.push(`${pad}<dict>`);
    for (const [key, child] of Object.entries(value)) {
      out.push(`${pad}\t<key>${escapeXml(key)}</key>`);
      writeValue(child, depth + 1, out);
    }
    out.push(`${pad}</dict>`);
  } else throw new Error(`example plists support strings, booleans, numbers, arrays and dicts, not ${String(value)}`);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function addLocation(locations: PlistFacts['locations'], document: PlistOk, file: string, path: (string | number)[]): void {
  const at = document.locate(path);
  if (!at) return;
  // The root `<dict>` stands for the whole file: only its first line, not the element's end.
  const end = path.length === 0 ? { line: at.line, column: at.column } : { line: at.endLine ?? at.line, column: at.endColumn ?? at.column };
  locations[plistPathKey(path)] = { file, range: { start: { line: at.line, column: at.column }, end } };
}

function expandStrings(value: PlistValue, settings: BuildSettings): PlistValue {
  if (typeof value === 'string') return value.includes('$') ? expandBuildVariables(value, settings) ?? value : value;
  if (Array.isArray(value)) return value.map((v) => expandStrings(v, settings));
  if (isDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandStrings(v, settings)]));
  return value;
}
