/** A rule's documentation page, generated from its `meta` (ruff's headings, SwiftLint's examples). */
import { HOME_REPOSITORY, HOME_URL, RULE_DOCS_URL, plistXml } from '@bglint/core';
import type { ExampleProject, Rule, RuleExample, RuleSummary } from '@bglint/core';

export const DOCS_BASE_URL = RULE_DOCS_URL;

/** Pages outside docs/rules that name the home (`pnpm docs` rewrites them; a test fails when stale). */
export const PAGES_NAMING_HOME = ['docs/integrations/pre-commit.md', 'docs/integrations/github-code-scanning.md', 'editors/vscode/README.md', 'editors/vscode/package.json'];

/** `text` with every link to a GitHub repository named bglint, and every `uses: <owner>/bglint@`, pointing at the home. */
export function withHomeUrl(text: string): string {
  return text
    .replace(/https:\/\/github\.com\/[\w.-]+\/bglint(?![\w.-])/g, HOME_URL)
    .replace(/(uses: )[\w.-]+\/bglint@/g, `$1${HOME_REPOSITORY}@`);
}

const LANGUAGE_NAMES = { swift: 'Swift', objc: 'Objective-C', entitlements: 'Entitlements', 'info-plist': 'Info.plist' } as const;
const FENCES = { swift: 'swift', objc: 'objc', entitlements: 'xml', 'info-plist': 'xml' } as const;

export function ruleMarkdown(rule: Rule): string {
  const { meta } = rule;
  const lines = [
    `# ${meta.id}`,
    '',
    `${meta.summary}`,
    '',
    `- Default severity: **${meta.severity}**${meta.id === 'bgtask-handler-main-actor' ? ' (warning outside Swift 6 language mode)' : ''}`,
    `- In \`recommended\`: yes · Since: ${meta.since} · Precision: ${meta.precision}`,
    `- Suggestions: ${meta.hasSuggestions ? 'yes' : 'no'} · Autofix: ${meta.fixable ? 'yes' : 'no'}`,
    '',
    '## What it does / why is this bad?',
    '',
    meta.why,
    '',
  ];
  if (meta.symptom) lines.push('## Symptom', '', meta.symptom, '');
  lines.push('## How to fix', '', meta.fix, '');
  for (const [language, examples] of Object.entries(meta.examples)) {
    const name = LANGUAGE_NAMES[language as keyof typeof LANGUAGE_NAMES];
    const fence = FENCES[language as keyof typeof FENCES];
    for (const example of examples?.invalid ?? []) lines.push(`### ${name}: reported (↓ marks the finding)`, '', ...exampleMarkdown(example, fence));
    for (const example of examples?.valid ?? []) lines.push(`### ${name}: not reported`, '', ...exampleMarkdown(example, fence));
  }
  if (meta.options) {
    lines.push('## Options', '');
    for (const [name, spec] of Object.entries(meta.options)) lines.push(`- \`${name}\` (${spec.type}, default \`${JSON.stringify(spec.default)}\`): ${spec.description}`);
    lines.push('');
  }
  lines.push('## Suppressing', '');
  if (rule.create) lines.push('```swift', `// bglint-disable-next-line ${meta.id} -- reason`, '```', '');
  if (rule.checkProjectFile) lines.push('In an Info.plist or `.entitlements` file:', '', '```xml', `<!-- bglint-disable-next-line ${meta.id} -->`, '```', '');
  lines.push('## References', '', ...meta.references.map((r) => `- ${r}`), '');
  return lines.join('\n');
}

function exampleMarkdown(example: RuleExample, fence: string): string[] {
  if (typeof example === 'string') return ['```' + fence, example.trimEnd(), '```', ''];
  return ['```' + fence, example.code.trimEnd(), '```', '', ...projectMarkdown(example.project)];
}

/** The project files an example runs with, as the user would write them. */
function projectMarkdown(project: ExampleProject): string[] {
  const lines: string[] = project.bundle && project.bundle !== 'app' ? [`In a target that builds a ${project.bundle}.`, ''] : [];
  const dictOf = (value: Parameters<typeof plistXml>[0]) => plistXml(value).split('\n').slice(2, -2).join('\n');
  if (project.infoPlist) lines.push('With this Info.plist:', '', '```xml', dictOf(project.infoPlist), '```', '');
  if (project.generatedInfoPlistKeys) {
    const settings = Object.entries(project.generatedInfoPlistKeys).map(([k, v]) => `INFOPLIST_KEY_${k} = ${v.includes(' ') ? `"${v}"` : v};`);
    lines.push('With these build settings (Xcode generates the Info.plist keys):', '', '```', ...settings, '```', '');
  }
  if (project.entitlements) lines.push('With these entitlements:', '', '```xml', dictOf(project.entitlements), '```', '');
  if (project.sources) lines.push('With this code elsewhere in the project:', '', '```swift', ...project.sources, '```', '');
  return lines;
}

/** A rule's summary; its Markdown page is rendered when first read (only SARIF and `--explain` read it). */
export function ruleSummary(rule: Rule): RuleSummary {
  const { meta } = rule;
  let markdown: string | undefined;
  return {
    id: meta.id,
    severity: meta.severity,
    summary: meta.summary,
    why: meta.why,
    fix: meta.fix,
    symptom: meta.symptom,
    tags: meta.tags,
    precision: meta.precision,
    securitySeverity: meta.securitySeverity,
    docsUrl: `${DOCS_BASE_URL}${meta.id}.md`,
    get markdown() {
      return (markdown ??= ruleMarkdown(rule));
    },
  };
}

export function rulesIndexMarkdown(rules: Rule[]): string {
  const rows = rules.map((r) => `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.severity} | ${r.meta.summary} |`);
  return ['# Rules', '', 'Generated from each rule\'s source by `pnpm docs`; a test fails when a page is stale.', '', '| rule | default | summary |', '|---|---|---|', ...rows, ''].join('\n');
}
