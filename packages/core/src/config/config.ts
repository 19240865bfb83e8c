/**
 * Configuration as data (`.bglint.yml` / `.bglint.json`): `extends`, `rules`, `overrides` by glob,
 * `ignores`, `root`. Validation names the file, the key path and what was expected. Never runs code.
 */
import picomatch from 'picomatch';
import type { Severity } from '../types';
import type { Rule } from '../engine/rule';
import type { EnabledRule } from '../engine/runner';

export const CONFIG_FILE_NAMES = ['.bglint.yml', '.bglint.yaml', '.bglint.json'];

export type RuleSetting = { severity: Severity | 'off'; options: Record<string, unknown> };

export interface ConfigLayer {
  file: string;
  /** The folder globs are relative to. */
  dir: string;
  root: boolean;
  extends: ('recommended' | 'all')[];
  rules: Record<string, RuleSetting>;
  overrides: { files: string[]; rules: Record<string, RuleSetting> }[];
  ignores: string[];
}

export class ConfigError extends Error {
  constructor(readonly file: string, readonly keyPath: string, readonly expected: string) {
    super(`${file}: ${keyPath ? `${keyPath}: ` : ''}${expected}`);
  }
}

const SEVERITY_WORDS: Record<string, Severity | 'off'> = {
  off: 'off', '0': 'off', warn: 'warning', warning: 'warning', '1': 'warning', error: 'error', '2': 'error', note: 'note', info: 'note',
};

/** The YAML parser loads on first use: it is the costliest module at startup, and most runs read no YAML. */
function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as typeof import('yaml')).parse(text);
}

/** Parses and validates one config file's text. */
export function parseConfig(text: string, file: string, dir: string, knownRules: Map<string, Rule>): ConfigLayer {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, '', `is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  data ??= {};
  if (!isRecord(data)) throw new ConfigError(file, '', 'expected a mapping at the top level');
  const allowed = new Set(['extends', 'rules', 'overrides', 'ignores', 'root']);
  for (const key of Object.keys(data)) {
    if (!allowed.has(key)) throw new ConfigError(file, key, `unknown key; expected one of ${[...allowed].join(', ')}`);
  }
  const ext = data.extends === undefined ? [] : Array.isArray(data.extends) ? data.extends : [data.extends];
  ext.forEach((e, i) => {
    if (e !== 'recommended' && e !== 'all') throw new ConfigError(file, `extends[${i}]`, `expected "recommended" or "all", got ${JSON.stringify(e)}`);
  });
  if (data.root !== undefined && typeof data.root !== 'boolean') throw new ConfigError(file, 'root', 'expected true or false');
  return {
    file,
    dir,
    root: data.root === true,
    extends: ext as ConfigLayer['extends'],
    rules: parseRules(data.rules, file, 'rules', knownRules),
    overrides: parseOverrides(data.overrides, file, knownRules),
    ignores: stringList(data.ignores, file, 'ignores'),
  };
}

function parseOverrides(value: unknown, file: string, knownRules: Map<string, Rule>): ConfigLayer['overrides'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(file, 'overrides', 'expected a list of { files, rules }');
  return value.map((o, i) => {
    if (!isRecord(o)) throw new ConfigError(file, `overrides[${i}]`, 'expected a mapping with files and rules');
    const files = stringList(o.files, file, `overrides[${i}].files`);
    if (files.length === 0) throw new ConfigError(file, `overrides[${i}].files`, 'expected at least one glob');
    return { files, rules: parseRules(o.rules, file, `overrides[${i}].rules`, knownRules) };
  });
}

function parseRules(value: unknown, file: string, path: string, knownRules: Map<string, Rule>): Record<string, RuleSetting> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ConfigError(file, path, 'expected a mapping of rule id to severity');
  const out: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(value)) {
    const rule = knownRules.get(id);
    if (!rule) throw new ConfigError(file, `${path}.${id}`, `unknown rule id (run bglint --list-rules)`);
    out[id] = parseRuleSetting(setting, file, `${path}.${id}`, rule);
  }
  return out;
}

export function parseRuleSetting(setting: unknown, file: string, path: string, rule: Rule): RuleSetting {
  const [severityValue, options] = Array.isArray(setting) ? setting : [setting, undefined];
  const severity = SEVERITY_WORDS[String(severityValue)];
  if (!severity) throw new ConfigError(file, path, `expected off, note, warn or error (or [severity, options]), got ${JSON.stringify(severityValue)}`);
  if (options !== undefined && !isRecord(options)) throw new ConfigError(file, `${path}[1]`, 'expected a mapping of options');
  for (const [key, v] of Object.entries(options ?? {})) {
    const spec = rule.meta.options?.[key];
    if (!spec) throw new ConfigError(file, `${path}[1].${key}`, `unknown option; ${rule.meta.id} takes ${Object.keys(rule.meta.options ?? {}).join(', ') || 'no options'}`);
    if (!matchesType(v, spec.type)) throw new ConfigError(file, `${path}[1].${key}`, `expected ${spec.type}`);
  }
  return { severity, options: (options ?? {}) as Record<string, unknown> };
}

function matchesType(v: unknown, type: string): boolean {
  if (type === 'string[]') return Array.isArray(v) && v.every((x) => typeof x === 'string');
  return typeof v === type;
}

function stringList(value: unknown, file: string, path: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw new ConfigError(file, `${path}[${i}]`, 'expected a glob string');
  });
  return list as string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface RuleSets {
  recommended: Rule[];
  all: Rule[];
}

/**
 * The rules enabled for one file: the layers from the outermost config inward (later wins), their
 * overrides whose globs match the file, then command-line `--rule` settings.
 */
export function rulesForFile(
  relativeToLayer: (layer: ConfigLayer) => string,
  layers: ConfigLayer[],
  sets: RuleSets,
  cliRules: Record<string, RuleSetting> = {},
): EnabledRule[] {
  const settings = new Map<string, RuleSetting>();
  const useSet = (rules: Rule[]) => rules.forEach((r) => settings.set(r.meta.id, { severity: r.meta.severity, options: {} }));
  if (layers.length === 0 || layers.every((l) => l.extends.length === 0 && Object.keys(l.rules).length === 0)) useSet(sets.recommended);
  for (const layer of layers) {
    for (const e of layer.extends) useSet(e === 'all' ? sets.all : sets.recommended);
    mergeInto(settings, layer.rules);
    const path = relativeToLayer(layer);
    for (const o of layer.overrides) if (picomatch.isMatch(path, o.files, { dot: true })) mergeInto(settings, o.rules);
  }
  mergeInto(settings, cliRules);
  const byId = new Map(sets.all.map((r) => [r.meta.id, r]));
  return [...settings].flatMap(([id, s]) => {
    const rule = byId.get(id);
    return rule && s.severity !== 'off' ? [{ rule, severity: s.severity, options: s.options }] : [];
  });
}

function mergeInto(settings: Map<string, RuleSetting>, rules: Record<string, RuleSetting>): void {
  for (const [id, s] of Object.entries(rules)) {
    const previous = settings.get(id);
    settings.set(id, { severity: s.severity, options: { ...(previous?.options ?? {}), ...s.options } });
  }
}

export function isIgnored(relativePath: string, layers: ConfigLayer[], relativeToLayer: (layer: ConfigLayer) => string): boolean {
  return layers.some((l) => l.ignores.length > 0 && picomatch.isMatch(relativeToLayer(l), l.ignores, { dot: true }));
}
