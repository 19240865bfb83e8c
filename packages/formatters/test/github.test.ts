import { escapeData, escapeProperty, format } from '../src/github';
import { finding, options, range, sampleReport } from './sample-report';

describe('github', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });

  it('prints one workflow command per finding and notice, with repo-relative paths', () => {
    expect(format(sampleReport(), options()).split('\n')).toEqual([
      '::error file=Sources/App/Uploader.swift,line=12,endLine=12,col=5,endColumn=58,title=bglint(background-task-not-ended)::beginBackgroundTask(expirationHandler:) is never balanced by endBackgroundTask(_:) on every path.',
      '::warning file=Sources/App/Uploader.swift,line=30,endLine=30,col=22,endColumn=48,title=bglint(bgtask-identifier-not-registered)::Task identifier "com.example.refresh" is not listed in BGTaskSchedulerPermittedIdentifiers.',
      '::warning file=Sources/Feature/Launch 🚀.swift,line=7,endLine=7,col=27,endColumn=52,title=bglint(main-sync-from-background)::DispatchQueue.main.sync 🚦 blocks until the main queue runs it.',
      // The runner drops columns when the lines differ, so a multi-line range carries lines only.
      '::notice file=Sources/Feature/Launch 🚀.swift,line=15,endLine=16,title=bglint(expiration-handler-missing)::No expiration handler here.',
      '::warning title=bglint (config)::unknown rule "old-rule" in .bglint.yml was ignored',
      '::warning file=Sources/App/Uploader.swift,line=40,endLine=42,title=bglint (parse-error)::could not read lines 40–42',
      '::warning file=Sources/Feature/Launch 🚀.swift,title=bglint (rule-crash)::rule expiration-handler-missing crashed: TypeError: node is undefined',
      '',
    ]);
  });

  it('cannot be broken out of by a hostile message or file name', () => {
    const report = {
      root: '/work/app',
      rules: [],
      notices: [],
      results: [
        {
          file: 'odd,name:1.swift',
          skipped: false,
          notices: [],
          findings: [finding('r', 'error', 'odd,name:1.swift', range(1, 1, 1, 2), { message: '50% off\n::error::injected' })],
        },
      ],
    };
    expect(format(report, options())).toBe(
      '::error file=odd%2Cname%3A1.swift,line=1,endLine=1,col=1,endColumn=2,title=bglint(r)::50%25 off%0A::error::injected\n',
    );
  });
});
