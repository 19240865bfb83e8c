/**
 * Which BGTask identifiers the project's code registers, found lexically while the index reads every
 * file (no parse): `register(forTaskWithIdentifier: "…"` and ObjC `registerForTaskWithIdentifier:@"…"`,
 * with a literal or a `let` / `NSString *const` declared once in the same file. Anything else
 * (interpolation, a parameter, a constant from another file) is counted as unresolved, so a rule can
 * tell "registered nowhere" from "registered where we cannot see the identifier".
 */
import type { Language } from '../syntax/ir';

export interface TaskRegistrations {
  identifiers: string[];
  unresolved: number;
  /** Each resolved registration with its 1-based line (for "registered twice" across files). */
  sites: TaskRegistrationSite[];
}

export interface TaskRegistrationSite {
  identifier: string;
  line: number;
}

// Only the label: in `code` a string argument is blanked to spaces a `\s*` would swallow.
const REGISTER_LABEL = /[fF]orTaskWithIdentifier\s*:/g;
const STRING_ARGUMENT = /^@?"((?:[^"\\\n]|\\.)*)"/;
const NAME_ARGUMENT = /^[A-Za-z_][\w.]*/;

/** `text` is the file as written; `code` the same text with comments and strings blanked (same offsets). */
export function taskRegistrationsIn(text: string, code: string, language: Language): TaskRegistrations {
  const found: TaskRegistrations = { identifiers: [], unresolved: 0, sites: [] };
  for (const m of code.matchAll(REGISTER_LABEL)) {
    const rest = text.slice((m.index ?? 0) + m[0].length).trimStart();
    const identifier = literalValue(rest) ?? constantValue(rest, text, language);
    if (identifier === undefined) found.unresolved++;
    else {
      found.identifiers.push(identifier);
      found.sites.push({ identifier, line: lineOf(text, m.index ?? 0) });
    }
  }
  return found;
}

function literalValue(rest: string): string | undefined {
  const literal = STRING_ARGUMENT.exec(rest);
  return literal && !literal[1]!.includes('\\(') ? literal[1] : undefined;
}

/** `IDs.refresh` / `kRefreshID`: the one constant of that name in this file, if its value is a plain literal. */
function constantValue(rest: string, text: string, language: Language): string | undefined {
  const path = NAME_ARGUMENT.exec(rest)?.[0];
  if (!path || /^\s*\(/.test(rest.slice(path.length))) return undefined;
  const name = path.split('.').pop()!;
  const declaration = language === 'swift'
    ? new RegExp(`\\blet\\s+${name}\\s*(?::\\s*String\\s*)?=\\s*"([^"\\\\\\n]*)"\\s*(?:$|[;\\n}])`, 'gm')
    : new RegExp(`\\bNSString\\s*\\*\\s*const\\s+${name}\\s*=\\s*@"([^"\\\\\\n]*)"\\s*;`, 'g');
  const values = [...text.matchAll(declaration)].map((d) => d[1]!);
  const declaredAtAll = new RegExp(`\\b(?:let|var|const)\\s+${name}\\b|\\*\\s*${name}\\s*=`, 'g');
  return values.length === 1 && [...text.matchAll(declaredAtAll)].length === 1 ? values[0] : undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The first registration of `identifier` in the project when it is in another file than `file`
 * (index order: path order in a CLI run), with that file's path made relative like `file` is. The
 * index holds the paths the run read (often absolute); `file` is as findings show it.
 */
export function firstRegistrationElsewhere(
  sites: readonly { file: string; line: number }[] | undefined,
  file: string,
): { file: string; line: number } | undefined {
  const isThisFile = (f: string) => f === file || f.endsWith(`/${file}`);
  const first = sites?.[0];
  const own = sites?.find((s) => isThisFile(s.file));
  if (!first || !own || isThisFile(first.file)) return undefined;
  const root = own.file.slice(0, own.file.length - file.length);
  return { file: first.file.startsWith(root) ? first.file.slice(root.length) : first.file, line: first.line };
}
