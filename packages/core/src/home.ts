/**
 * bglint's home, from the `repository` field of the `bglint` package (packages/bglint/package.json):
 * rule docs links, SARIF `informationUri` / `helpUri` and the integration pages (`pnpm docs`) all
 * start from it, so moving the home is one edit there.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require('../../bglint/package.json') as { repository: { url: string } };

/** `https://github.com/<owner>/<repo>`. */
export const HOME_URL = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Where each rule's page is: `${RULE_DOCS_URL}<id>.md`. */
export const RULE_DOCS_URL = `${HOME_URL}/blob/main/docs/rules/`;

/** `<owner>/<repo>`, as a workflow's `uses:` names the Action. */
export const HOME_REPOSITORY = new URL(HOME_URL).pathname.replace(/^\//, '');
