/** The language server benchmarks' file (bench.mjs, start-bench.mjs). */

/** 2,000 lines: classes with methods, every tenth with a background task that is never ended. */
export function swiftFile() {
  const lines = ['import UIKit', ''];
  for (let i = 0; lines.length + 10 <= 2000; i++) {
    lines.push(
      `final class Worker${i} {`,
      `    private var items: [String] = []`,
      `    func run${i}(_ value: Int) -> Int {`,
      `        // step ${i}`,
      `        let doubled = value * 2`,
      i % 10 === 0 ? `        UIApplication.shared.beginBackgroundTask(withName: "w${i}") {}` : `        items.append("\\(doubled)")`,
      `        return doubled + items.count`,
      `    }`,
      `}`,
      '',
    );
  }
  while (lines.length < 2000) lines.push('// end');
  return lines.join('\n') + '\n';
}

