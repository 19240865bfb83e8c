import * as fs from 'node:fs';
import * as path from 'node:path';

// `yaml` is a dependency of @bglint/core; load it from there rather than adding a copy here.
const corePackage = path.resolve(__dirname, '../../core');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAML = require(require.resolve('yaml', { paths: [corePackage] })) as { parse(text: string): unknown };

const repo = path.resolve(__dirname, '../../..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');

/* eslint-disable @typescript-eslint/no-explicit-any */
function yamlBlocks(markdown: string): any[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => YAML.parse(match[1]));
}

function workflows(markdown: string): any[] {
  return yamlBlocks(markdown).filter((block) => block !== null && typeof block === 'object' && 'jobs' in block);
}

function usedActions(workflow: any): string[] {
  return Object.values(workflow.jobs).flatMap((job: any) => job.steps.map((step: any) => step.uses).filter(Boolean));
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = YAML.parse(read('.pre-commit-hooks.yaml')) as any[];

  it('defines the bglint hook with the fields pre-commit requires', () => {
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ id: 'bglint', name: 'bglint', entry: 'scripts/pre-commit-hook.sh', language: 'script', require_serial: true });
    expect(fs.statSync(path.join(repo, hooks[0].entry)).mode & 0o111).not.toBe(0);
    expect(hooks[0].types_or).toEqual(['swift', 'objective-c', 'objective-c++', 'plist']);
  });

  it('is what the docs tell users to reference', () => {
    const docs = yamlBlocks(read('docs/integrations/pre-commit.md'));
    const fromRepo = docs.find((block) => block.repos?.[0]?.repo !== 'local');
    expect(fromRepo.repos[0].hooks[0].id).toBe(hooks[0].id);
    expect(docs.find((block) => block.repos?.[0]?.repo === 'local')).toBeUndefined();
  });
});

describe('GitHub workflows in the docs', () => {
  const blocks = workflows(read('docs/integrations/github-code-scanning.md'));

  it('parse, and the code scanning one uploads SARIF with the right permission', () => {
    expect(blocks).toHaveLength(2);
    const [scanning, annotations] = blocks;
    expect(scanning.on).toBeDefined();
    expect(scanning.permissions['security-events']).toBe('write');
    expect(usedActions(scanning)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    const steps = scanning.jobs.bglint.steps;
    const run = steps.find((step: any) => String(step.run ?? '').includes('--format sarif'));
    expect(run.run).toContain('--sarif-category bglint/ --output-file bglint.sarif');
    expect(steps.at(-1).with).toEqual({ sarif_file: 'bglint.sarif', category: 'bglint' });
    expect(usedActions(annotations)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4']);
    expect(annotations.jobs.bglint.steps.at(-1).run).toBe('npx bglint --format github .');
  });
});

describe('action.yml', () => {
  const action = YAML.parse(read('action.yml')) as any;

  it('is a composite action with the documented inputs that uploads with upload-sarif', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['paths', 'category', 'args', 'upload', 'fail-on-findings']);
    expect(action.runs.steps.map((step: any) => step.uses).filter(Boolean)).toEqual(['actions/cache@v4', 'github/codeql-action/upload-sarif@v3']);
    for (const step of action.runs.steps.filter((s: any) => s.run !== undefined)) {
      expect(step.shell).toBe('bash');
      expect(step.run).not.toContain('${{ inputs.'); // inputs reach scripts through env, never spliced into code
      // Every step's code is the tested script (packages/bglint/test/action.test.ts).
      expect(step.run).toMatch(/^bash "\$GITHUB_ACTION_PATH\/scripts\/github-action\.sh" (cache-key|lint|verdict)$/);
    }
  });
});

describe('lint-staged example', () => {
  it('runs bglint on Swift, Objective-C and plist files', () => {
    const config = JSON.parse(read('examples/lint-staged/package.json'))['lint-staged'];
    expect(config['*.{swift,m,mm}']).toBe('bglint --max-warnings 0');
    expect(config['*.{plist,entitlements}']).toBe('bglint');
  });
});
