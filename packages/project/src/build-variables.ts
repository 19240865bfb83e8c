/** Build-setting references as Xcode expands them in Info.plist: `$(NAME)`, `${NAME}`, `$(NAME:modifier)`. */
const VARIABLE = /\$\(([A-Za-z_][A-Za-z0-9_]*)((?::[A-Za-z0-9_=]+)*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)((?::[A-Za-z0-9_=]+)*)\}/g;

const ANY_VARIABLE = new RegExp(VARIABLE.source);

export type BuildSettings = Record<string, string>;

/** True when the string refers to a build setting, e.g. `$(PRODUCT_BUNDLE_IDENTIFIER).refresh`. */
export function hasBuildVariable(text: string): boolean {
  return ANY_VARIABLE.test(text);
}

/** Names of the build settings a string refers to, in order of appearance. */
export function buildVariableNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) names.push(match[1] ?? match[3]);
  return names;
}

/**
 * Expands build-setting references using `settings`, following references inside settings (up to
 * 16 levels deep). Returns undefined unless every variable is known (and every modifier understood).
 * `$(inherited)` expands to the empty string when not given.
 */
export function expandBuildVariables(text: string, settings: BuildSettings): string | undefined {
  return expand(text, settings, 0);
}

const MAX_DEPTH = 16;

function expand(text: string, settings: BuildSettings, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let unknown = false;
  const result = text.replace(VARIABLE, (_whole, p1, m1, p2, m2) => {
    const value = lookup(p1 ?? p2, settings, depth);
    const modified = value === undefined ? undefined : applyModifiers(value, m1 ?? m2 ?? '');
    if (modified === undefined) unknown = true;
    return modified ?? '';
  });
  return unknown ? undefined : result;
}

/** A setting's value with its own references expanded first, so modifiers apply to the final text. */
function lookup(name: string, settings: BuildSettings, depth: number): string | undefined {
  if (!Object.hasOwn(settings, name)) return name === 'inherited' ? '' : undefined;
  const value = settings[name];
  return hasBuildVariable(value) ? expand(value, settings, depth + 1) : value;
}

function applyModifiers(value: string, modifiers: string): string | undefined {
  let result: string | undefined = value;
  for (const modifier of modifiers.split(':').filter(Boolean)) {
    if (result === undefined) return undefined;
    result = applyModifier(result, modifier);
  }
  return result;
}

function applyModifier(value: string, modifier: string): string | undefined {
  switch (modifier) {
    case 'rfc1034identifier':
      return value.replace(/[^A-Za-z0-9.-]/g, '-');
    case 'c99extidentifier':
    case 'identifier':
      return value.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'quote':
      return value.replace(/([\s"'\\])/g, '\\$1');
    default:
      if (modifier.startsWith('default=')) return value === '' ? modifier.slice('default='.length) : value;
      return undefined;
  }
}
