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

// Background sessions are followed through the whole file (a copy, a hand-off), but only through parts that
// name where the session is kept: reading every part of the file cost 20% of the rules' time on files with a trigger.
const uploader = `import Foundation

final class Uploader {
  private var background: URLSession?
  private var current: URLSession?
  private var items: [String] = []

  func setUp() {
    let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.upload")
    background = URLSession(configuration: configuration, delegate: nil, delegateQueue: nil)
  }

  func choose() { current = background }

  func send(_ url: URL) { current?.dataTask(with: url).resume() }

  func reload() { for item in items where !item.isEmpty { print(item) } }
  func render() -> String { items.joined(separator: ", ") }
}
`;

describe('a file that builds a background session', () => {
  const rule = allRules.find((r) => r.meta.id === 'background-session-unsupported-task')!;
  const lint = (eagerView: boolean) => lintSource({ file: 'Uploader.swift', text: uploader, language: 'swift', rules: [{ rule, severity: rule.meta.severity, options: {} }], eagerView });

  it('follows the session through a method with no trigger string (a copy) to the task made on it', () => {
    const findings = lint(false).findings.map((f) => ({ line: f.range.start.line, column: f.range.start.column, severity: f.severity }));
    // A data task on a background session: a warning (it fails once the app is in the background).
    expect(findings).toEqual([{ line: 15, column: 27, severity: 'warning' }]);
    expect(lint(false).findings).toEqual(lint(true).findings);
  });

  it('lowers only the methods that build the session, name where it is kept, or make a task (not the others, nor property values)', () => {
    const before = partsLowered();
    lint(false);
    expect(partsLowered() - before).toBe(3);
  });
});

// In Objective-C a setter call reads as an assignment (`[self setCurrent:…]` sets `current`): its text holds the
// name capitalized. Here it gives the property another session, so the task may not be made on the background one.
const objcUploader = `@implementation Uploader
- (void)setUp {
  NSURLSessionConfiguration *configuration = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.upload"];
  _current = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];
}
- (void)reset {
  [self setCurrent:[NSURLSession sharedSession]];
}
- (void)send:(NSURL *)url {
  [[self.current dataTaskWithURL:url] resume];
}
@end
`;

describe('an Objective-C file that builds a background session', () => {
  const rule = allRules.find((r) => r.meta.id === 'background-session-unsupported-task')!;
  const lint = (text: string, eagerView: boolean) => lintSource({ file: 'Uploader.m', text, language: 'objc', rules: [{ rule, severity: rule.meta.severity, options: {} }], eagerView });

  it('sees a setter call in a method with no trigger string give the property another session', () => {
    expect(lint(objcUploader, false).findings).toEqual([]);
    expect(lint(objcUploader, true).findings).toEqual([]);
    // Without that method, the task is made on the background session.
    const withoutReset = objcUploader.replace(/- \(void\)reset \{[^}]*\}\n/, '');
    expect(lint(withoutReset, false).findings.map((f) => f.range.start.line)).toEqual([7]);
  });
});
