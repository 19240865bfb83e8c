/**
 * Lowering function bodies (and properties' values) is most of the syntax view's cost, so the view
 * lowers one only when read (core's syntax/deferred.ts). A rule that reads every function's body (every
 * property's value) before checking its name undoes that for every file of a run with no prefilter:
 * here, code that holds no rule's trigger string, every rule enabled, must lower no body or value at all.
 */
import { allRules } from '@bglint/rules';
import { partsLowered, lintSource } from '@bglint/core';
import type { Language } from '@bglint/core';

const rules = allRules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));
const triggers = [...new Set(allRules.flatMap((r) => r.meta.triggers))];

const swift = `import UIKit

final class FeedViewController: UIViewController {
  private var items: [String] = []
  private let formatter = DateFormatter()
  static let titles = ["Feed", "Recent"].map { $0.uppercased() }
  override func loadView() { super.loadView(); view.backgroundColor = .systemBackground }
  override func viewDidLoad() {
    super.viewDidLoad()
    items = ["a", "b"].map { $0.uppercased() }
    reload()
  }
  override func viewWillAppear(_ animated: Bool) { super.viewWillAppear(animated); reload() }
  func reload() { for item in items where !item.isEmpty { print(item) } }
}

struct Settings {
  var name: String
  init() { name = UserDefaults.standard.string(forKey: "name") ?? "" }
  var greeting: String { "Hello, \\(name)" }
}

func helper(_ value: Int) -> Int { value > 0 ? value * 2 : 0 }

let defaultSettings = Settings()
`;

const objc = `#import <UIKit/UIKit.h>

@implementation FeedViewController
- (void)viewDidLoad {
  [super viewDidLoad];
  self.items = @[@"a", @"b"];
  [self reload];
}
- (void)viewDidAppear:(BOOL)animated { [super viewDidAppear:animated]; [self reload]; }
- (void)reload { for (NSString *item in self.items) { NSLog(@"%@", item); } }
+ (instancetype)shared { static FeedViewController *shared; return shared; }
@end

static int helper(int value) { return value > 0 ? value * 2 : 0; }

int run(int argc, char *argv[]) { return helper(argc); }
`;

describe.each([['swift', swift], ['objc', objc]] as const)('%s code with no trigger string', (language, text) => {
  it('holds no rule trigger (so no rule has a reason to read a body or value)', () => {
    expect(triggers.filter((t) => t !== '' && text.includes(t))).toEqual([]);
  });

  it('lowers no function body or property value when every rule runs on it', () => {
    const before = partsLowered();
    const result = lintSource({ file: `Feed.${language === 'swift' ? 'swift' : 'm'}`, text, language: language as Language, rules, noPrefilter: true });
    expect(result.skipped).toBe(false);
    expect(result.findings).toEqual([]);
    expect(partsLowered() - before).toBe(0);
  });
});
