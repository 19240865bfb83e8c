import * as path from 'path';
import { decodeText } from '../text';
import type { BuildSettings } from '../build-variables';

/** Reads a file's text, or undefined when it is missing. */
export type TextReader = (file: string) => Buffer | string | undefined;

const MAX_FILES = 64;

interface OpenFile {
  file: string;
  lines: string[];
  next: number;
}

/**
 * Applies an .xcconfig (and its `#include`s, inline, in order) over `base`. `$(inherited)` in a line
 * takes the value defined before it. Missing files are skipped; `#include` cycles are cut.
 */
export function applyXcconfig(file: string, base: BuildSettings, read: TextReader): BuildSettings {
  const settings: BuildSettings = { ...base };
  const stack: OpenFile[] = [];
  let opened = 0;
  const open = (target: string): void => {
    const text = opened < MAX_FILES && !stack.some((f) => f.file === target) ? read(target) : undefined;
    if (text === undefined) return;
    opened++;
    stack.push({ file: target, lines: decodeText(text).split(/\r\n|\r|\n/), next: 0 });
  };
  open(file);
  while (stack.length > 0) {
    const current = stack[stack.length - 1];
    if (current.next >= current.lines.length) {
      stack.pop();
      continue;
    }
    const line = current.lines[current.next++];
    const include = /^\s*#include\??\s*"([^"]+)"/.exec(line);
    if (include) open(path.resolve(path.dirname(current.file), include[1]));
    else applyLine(line, settings);
  }
  return settings;
}

function applyLine(line: string, settings: BuildSettings): void {
  const comment = line.indexOf('//');
  const content = (comment >= 0 ? line.slice(0, comment) : line).trim();
  const match = /^([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])*)\s*=\s*(.*?);?$/.exec(content);
  if (!match) return;
  const [, key, value] = match;
  settings[key] = value.replace(/\$[({]inherited[)}]/g, settings[key] ?? '').trim();
}
