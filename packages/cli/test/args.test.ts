/** The performance options as a user types them. */
import { parseArgs, UsageError } from '../src/args';

test('--cache, --cache-location, --jobs / -j and --no-prefilter are read', () => {
  expect(parseArgs(['--cache', '--cache-location', '.cache/', '-j', '3', '--no-prefilter', 'App'])).toMatchObject({
    cache: true, cacheLocation: '.cache/', jobs: 3, noPrefilter: true, paths: ['App'],
  });
  expect(parseArgs(['--jobs=2']).jobs).toBe(2);
  expect(parseArgs([])).toMatchObject({ cache: false, noPrefilter: false });
  expect(parseArgs([]).jobs).toBeUndefined();
});

test.each(['0', 'two', '-1'])('--jobs %s is a usage error', (value) => {
  expect(() => parseArgs(['--jobs', value])).toThrow(UsageError);
});
