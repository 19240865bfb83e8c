/**
 * The initial values of types' properties are lowered only when read, and the runner's walk enters one
 * only when its text holds a rule's trigger (core's syntax/deferred.ts). Rules must
 * still hear what lies in a value, and read values they look for by content (a semaphore a type keeps,
 * `propertyWaitsIn`): with every rule, no prefilter, the lazy view gives the eager view's findings.
 */
import { allRules } from '@bglint/rules';
import { lintSource } from '@bglint/core';

const rules = allRules.map((rule) => ({ rule, severity: rule.meta.severity, options: {} }));

const swift = `import Foundation
import UIKit

final class Uploader {
  lazy var task = URLSession(configuration: .background(withIdentifier: "com.example.up")).dataTask(with: URL(string: "https://example.com")!) { _, _, _ in }
  static let shared = Uploader()
}

final class FeedViewController: UIViewController {
  private let loaded = DispatchSemaphore(value: 0)
  private let names = ["a", "b"]
  override func viewDidLoad() {
    super.viewDidLoad()
    loaded.wait()
  }
}

let globalTask = URLSession(configuration: .background(withIdentifier: "com.example.global")).dataTask(with: URL(string: "https://example.com")!) { _, _, _ in }
`;

function findings(eagerView: boolean) {
  const result = lintSource({ file: 'Sync.swift', text: swift, language: 'swift', rules, noPrefilter: true, eagerView });
  return result.findings.map((f) => `${f.range.start.line}: ${f.ruleId}`);
}

test('findings in and about property initial values are those of the eager view', () => {
  const lazy = findings(false);
  expect(lazy).toEqual(findings(true));
  expect(lazy).toEqual(expect.arrayContaining([
    '5: background-session-unsupported-task', // in a type's property's value
    '14: main-queue-sync-deadlock', // a wait on a semaphore only its property's value makes
    '18: background-session-unsupported-task', // in a global's value (lowered at once)
  ]));
});
