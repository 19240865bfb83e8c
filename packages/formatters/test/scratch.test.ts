import { loadFormatter } from '../src/index';
import { options, sampleReport } from './sample-report';
import { validateSarif } from './sarif-validator';
import * as fs from 'node:fs';
test('print', () => {
  for (const name of ['stylish', 'json', 'sarif', 'xcode', 'github']) {
    const out = loadFormatter(name)!(sampleReport(), options({ sarifCategory: 'bglint' }));
    fs.writeFileSync(`/tmp/fmt-out.${name}`, out);
  }
  fs.writeFileSync('/tmp/fmt-validation.json', JSON.stringify(validateSarif(fs.readFileSync('/tmp/fmt-out.sarif', 'utf8')), null, 2));
});
