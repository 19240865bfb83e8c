/** The server's settings (`bglint.*` through `workspace/configuration`), with their defaults. */

export interface Settings {
  enable: boolean;
  /** Lint as the text changes, or only when it is saved (and opened). */
  run: 'onType' | 'onSave';
  configFile?: string;
  rules: Record<string, unknown>;
  /** Quiet time after a change before linting, in push mode. */
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, run: 'onType', rules: {}, debounceMs: 200 };

/** Settings from whatever the client sent (unknown shape), with defaults for what is missing or wrong. */
export function readSettings(value: unknown): Settings {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    enable: typeof v.enable === 'boolean' ? v.enable : DEFAULT_SETTINGS.enable,
    run: v.run === 'onSave' ? 'onSave' : 'onType',
    configFile: typeof v.configFile === 'string' && v.configFile ? v.configFile : undefined,
    rules: typeof v.rules === 'object' && v.rules !== null && !Array.isArray(v.rules) ? (v.rules as Record<string, unknown>) : {},
    debounceMs: typeof v.debounceMs === 'number' && v.debounceMs >= 0 ? v.debounceMs : DEFAULT_SETTINGS.debounceMs,
  };
}
