/**
 * Validates SARIF text the way GitHub code scanning will read it: first against the SARIF 2.1.0
 * JSON schema shipped with the Multitool, then with Microsoft's SARIF Multitool and its GitHub
 * rules, run as the platform binary (not the npm wrapper, whose shell splits "Gh;Sarif"):
 *
 *   Sarif.Multitool validate --rule-kind "Gh;Sarif" --level "Error;Warning;Note" --log ForceOverwrite
 *     --output <out.sarif> <file.sarif>
 *
 * (5.7.0 has no `--force`; `--log ForceOverwrite` replaces it.) The Multitool writes its findings as a
 * SARIF log; each result's text is its rule's message string filled with the result's arguments.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { schemaErrors } from './json-schema-lite';

/**
 * With notes included the Multitool always has something to say about a file it read (SARIF2003 notes
 * a run without versionControlProvenance, which bglint never writes). Saying nothing at all means it
 * dropped the file unread, as it does without a word when the file does not deserialize.
 */
const SILENT_SKIP = 'Multitool: reported nothing, not even notes, so it did not read the file (it drops a file that does not deserialize silently)';

export interface SarifValidation {
  errors: string[];
  warnings: string[];
  notes: string[];
}

interface ValidatorRule {
  id: string;
  messageStrings?: Record<string, { text: string }>;
  defaultConfiguration?: { level?: string };
}

interface ValidatorResult {
  ruleId: string;
  ruleIndex?: number;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
}

interface ValidatorNotification {
  level?: string;
  message: { text?: string };
}

interface ValidatorRun {
  tool: { driver: { rules?: ValidatorRule[] } };
  results?: ValidatorResult[];
  invocations?: { toolExecutionNotifications?: ValidatorNotification[]; toolConfigurationNotifications?: ValidatorNotification[] }[];
}

/** The linux/darwin/win32 Multitool binary from @microsoft/sarif-multitool, or undefined when absent. */
export function multitoolPath(): string | undefined {
  let binary: string;
  try {
    binary = require(require.resolve('@microsoft/sarif-multitool', { paths: [path.join(__dirname, '..')] })) as string;
  } catch {
    return undefined;
  }
  if (!fs.existsSync(binary)) return undefined;
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    fs.chmodSync(binary, 0o755); // its postinstall does this; a locked-down install may have skipped it
  }
  return binary;
}

function renderMessage(result: ValidatorResult, rules: ValidatorRule[]): string {
  const rule = result.ruleIndex === undefined ? rules.find((r) => r.id === result.ruleId) : rules[result.ruleIndex];
  const template = result.message.id === undefined ? undefined : rule?.messageStrings?.[result.message.id]?.text;
  const text = template ?? result.message.text ?? '';
  const args = result.message.arguments ?? [];
  return `${result.ruleId}: ${text.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole)}`;
}

function levelOf(result: ValidatorResult, rules: ValidatorRule[]): string {
  const rule = result.ruleIndex === undefined ? undefined : rules[result.ruleIndex];
  return result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
}

function collect(log: { runs: ValidatorRun[] }, outcome: SarifValidation): void {
  for (const run of log.runs) {
    const rules = run.tool.driver.rules ?? [];
    for (const result of run.results ?? []) {
      const level = levelOf(result, rules);
      const list = level === 'error' ? outcome.errors : level === 'warning' ? outcome.warnings : outcome.notes;
      list.push(renderMessage(result, rules));
    }
    for (const invocation of run.invocations ?? []) {
      const notifications = [...(invocation.toolExecutionNotifications ?? []), ...(invocation.toolConfigurationNotifications ?? [])];
      for (const notification of notifications) {
        if (notification.level === 'error') outcome.errors.push(`Multitool: ${notification.message.text ?? ''}`);
      }
    }
  }
}

function schemaCheck(text: string, binary: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(binary), 'sarif-2.1.0.json'), 'utf8'));
  return schemaErrors(value, schema).map((message) => `schema: ${message}`);
}

/** Errors, warnings and notes for this SARIF text. Throws when the Multitool is not installed. */
export function validateSarif(text: string): SarifValidation {
  const binary = multitoolPath();
  if (binary === undefined) throw new Error('@microsoft/sarif-multitool is not installed (run pnpm install)');
  const outcome: SarifValidation = { errors: schemaCheck(text, binary), warnings: [], notes: [] };
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bglint-sarif-'));
  try {
    const input = path.join(folder, 'input.sarif');
    const output = path.join(folder, 'validation.sarif');
    fs.writeFileSync(input, text);
    const args = ['validate', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--log', 'ForceOverwrite', '--output', output, input];
    const run = spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
    if (run.status !== 0 || !fs.existsSync(output)) {
      throw new Error(`Sarif.Multitool failed (${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
    }
    collect(JSON.parse(fs.readFileSync(output, 'utf8')), outcome);
    if (outcome.errors.length + outcome.warnings.length + outcome.notes.length === 0) outcome.errors.push(SILENT_SKIP);
    return outcome;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
