#!/usr/bin/env node
/**
 * A deterministic, realistic Swift + Objective-C app corpus for the benchmark and the prefilter test,
 * so both run offline. Shaped after the apps measured in docs/benchmarks.md:
 *  - file sizes log-normal around real medians (Swift ~3.5 KB, .m ~5 KB, .h ~1.5 KB; a long tail to ~150 KB),
 *  - about 2/3 Swift, 1/3 Objective-C (.m with its .h),
 *  - headline APIs in ~0.6% of files (60 of 11,000 in the real corpus), `@MainActor` in ~8% (840 of 11,000),
 *  - ordinary code around them: types, extensions, closures, GCD, URLSession, comments and strings.
 * The same seed always writes the same bytes.
 *
 *   node scripts/generate-corpus.js OUT_DIR [--files N] [--seed S] [--api-rate R]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** mulberry32: small, fast, and the same everywhere. */
function randomSource(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  /** Log-normal: median m, spread s (Box-Muller). */
  const logNormal = (median, spread) => median * Math.exp(spread * Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()));
  return { next, int, pick, chance, logNormal };
}

const NOUNS = ['Feed', 'Account', 'Article', 'Session', 'Message', 'Room', 'Episode', 'Podcast', 'Sensor', 'Zone', 'Tab', 'Bookmark',
  'Download', 'Upload', 'Sync', 'Cache', 'Profile', 'Setting', 'Token', 'Device', 'Event', 'Entity', 'Folder', 'Photo', 'Media', 'Queue'];
const ROLES = ['Manager', 'Service', 'Store', 'ViewController', 'ViewModel', 'Coordinator', 'Client', 'Provider', 'Controller', 'Cell',
  'Helper', 'Repository', 'Operation', 'Handler', 'Router', 'Formatter'];
const VERBS = ['load', 'refresh', 'update', 'fetch', 'save', 'delete', 'configure', 'reload', 'apply', 'handle', 'present', 'sync', 'prepare'];
const MODULES = ['App', 'Core', 'Shared', 'Networking', 'Persistence', 'UI', 'Widgets', 'Extensions', 'Sync', 'Settings', 'Media'];

function nameMaker(rnd) {
  const noun = () => rnd.pick(NOUNS);
  return {
    type: () => noun() + rnd.pick(ROLES),
    method: () => rnd.pick(VERBS) + noun() + (rnd.chance(0.3) ? rnd.pick(['s', 'IfNeeded', 'Async', 'Items']) : ''),
    prop: () => rnd.pick(['current', 'pending', 'cached', 'selected', 'last', 'visible']) + noun(),
    noun,
  };
}

// ---------------------------------------------------------------- Swift

function swiftMember(rnd, names) {
  const m = names.method();
  const p = names.prop();
  const t = names.type();
  const body = [
    `    /// ${rnd.pick(['Loads', 'Updates', 'Refreshes', 'Applies'])} the ${p} from the ${names.noun().toLowerCase()} store.`,
    `    func ${m}(_ items: [${names.noun()}], completion: @escaping (Error?) -> Void) {`,
    `        guard !items.isEmpty else { completion(nil); return }`,
    `        let filtered = items.filter { $0.isEnabled && $0.identifier != "${p}" }`,
    `        for item in filtered where item.needsUpdate {`,
    `            log.debug("updating \\(item.identifier) in ${t}")`,
    `            ${p}[item.identifier] = item`,
    `        }`,
    `        DispatchQueue.main.async { [weak self] in`,
    `            self?.tableView.reloadData()`,
    `            completion(nil)`,
    `        }`,
    `    }`,
  ];
  const variants = [
    body,
    [`    private var ${p}: [String: ${names.noun()}] = [:]`, `    private let ${names.prop()}Queue = DispatchQueue(label: "com.example.${p}")`],
    [
      `    func ${m}() async throws -> [${names.noun()}] {`,
      `        let (data, response) = try await URLSession.shared.data(from: endpoint.appendingPathComponent("${p}"))`,
      `        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw ${t}Error.badStatus }`,
      `        return try JSONDecoder().decode([${names.noun()}].self, from: data)`,
      `    }`,
    ],
    [
      `    override func viewDidLoad() {`,
      `        super.viewDidLoad()`,
      `        title = NSLocalizedString("${p}.title", comment: "")`,
      `        navigationItem.rightBarButtonItem = UIBarButtonItem(barButtonSystemItem: .add, target: self, action: #selector(${m}))`,
      `        NotificationCenter.default.addObserver(self, selector: #selector(${names.method()}), name: .${p}DidChange, object: nil)`,
      `    }`,
    ],
    [
      `    var ${p}Description: String {`,
      `        switch state {`,
      `        case .idle: return "idle"`,
      `        case .loading(let progress): return "loading \\(Int(progress * 100))%"`,
      `        case .failed(let error): return error.localizedDescription`,
      `        }`,
      `    }`,
    ],
  ];
  return rnd.pick(variants).join('\n');
}

const SWIFT_APIS = [
  // unbalanced: the early return leaks the task
  (n) => [
    `    func ${n.method()}InBackground() {`,
    `        var taskID = UIBackgroundTaskIdentifier.invalid`,
    `        taskID = UIApplication.shared.beginBackgroundTask(withName: "${n.prop()}") {`,
    `            UIApplication.shared.endBackgroundTask(taskID)`,
    `        }`,
    `        guard isReady else { return }`,
    `        persist()`,
    `        UIApplication.shared.endBackgroundTask(taskID)`,
    `    }`,
  ],
  // balanced with defer
  (n) => [
    `    func ${n.method()}BeforeSuspension() throws {`,
    `        var taskID = UIBackgroundTaskIdentifier.invalid`,
    `        taskID = UIApplication.shared.beginBackgroundTask(withName: "${n.prop()}") {`,
    `            UIApplication.shared.endBackgroundTask(taskID)`,
    `        }`,
    `        defer { UIApplication.shared.endBackgroundTask(taskID) }`,
    `        try store.flush()`,
    `    }`,
  ],
  // deferred end inside the expiration handler
  (n) => [
    `    func ${n.method()}WhileBackgrounded() {`,
    `        bgTask = UIApplication.shared.beginBackgroundTask(withName: "${n.prop()}") {`,
    `            DispatchQueue.main.async { UIApplication.shared.endBackgroundTask(self.bgTask) }`,
    `        }`,
    `        client.send { _ in UIApplication.shared.endBackgroundTask(self.bgTask) }`,
    `    }`,
  ],
  (n) => [
    `    func register${n.noun()}Refresh() {`,
    `        BGTaskScheduler.shared.register(forTaskWithIdentifier: "com.example.${n.prop()}", using: nil) { task in`,
    `            self.handleRefresh(task as! BGAppRefreshTask)`,
    `        }`,
    `    }`,
  ],
  (n) => [
    `    lazy var ${n.prop()}Session: URLSession = {`,
    `        let config = URLSessionConfiguration.background(withIdentifier: "com.example.${n.prop()}")`,
    `        config.isDiscretionary = ${n.noun().length % 2 ? 'true' : 'false'}`,
    `        return URLSession(configuration: config, delegate: self, delegateQueue: nil)`,
    `    }()`,
  ],
  (n) => [
    `    func submit${n.noun()}Export() throws {`,
    `        let request = BGContinuedProcessingTaskRequest(identifier: "com.example.${n.prop()}", title: "Export", subtitle: "")`,
    `        request.requiredResources = .gpu`,
    `        try BGTaskScheduler.shared.submit(request)`,
    `    }`,
  ],
];

function swiftFile(rnd, names, size, { api, mainActor }) {
  const lines = [`//`, `//  ${names.type()}.swift`, `//`, ``, `import Foundation`, rnd.chance(0.6) ? `import UIKit` : `import Combine`, ``];
  let text = lines.join('\n');
  while (text.length < size) {
    const type = names.type();
    const isolated = mainActor && !text.includes('@MainActor') ? '@MainActor\n' : '';
    const kind = rnd.pick(['final class', 'class', 'struct', 'extension', 'enum']);
    const header = kind === 'extension' ? `extension ${type}` : `${isolated}${kind} ${type}${kind.includes('class') ? `: ${rnd.pick(['NSObject', 'UIViewController', 'ObservableObject', 'Operation'])}` : ''}`;
    const members = [];
    const count = 2 + rnd.int(6);
    for (let i = 0; i < count; i++) members.push(swiftMember(rnd, names));
    if (api && !text.includes('beginBackgroundTask') && !text.includes('BGTaskScheduler') && !text.includes('isDiscretionary')) members.splice(rnd.int(members.length), 0, rnd.pick(SWIFT_APIS)(names).join('\n'));
    text += `\n${header} {\n${members.join('\n\n')}\n}\n`;
  }
  return text;
}

// ---------------------------------------------------------------- Objective-C

function objcMethod(rnd, names) {
  const m = names.method();
  const p = names.prop();
  return rnd.pick([
    [
      `- (void)${m}:(NSArray<${names.noun()} *> *)items completion:(void (^)(NSError *error))completion {`,
      `    if (items.count == 0) { completion(nil); return; }`,
      `    NSMutableArray *filtered = [NSMutableArray array];`,
      `    for (id item in items) {`,
      `        if ([item isEnabled]) { [filtered addObject:item]; }`,
      `    }`,
      `    dispatch_async(dispatch_get_main_queue(), ^{`,
      `        self.${p} = filtered;`,
      `        completion(nil);`,
      `    });`,
      `}`,
    ],
    [
      `- (NSString *)${p}Description {`,
      `    // The ${p} as shown in the settings list.`,
      `    return [NSString stringWithFormat:@"%@ (%lu)", self.name, (unsigned long)self.${p}.count];`,
      `}`,
    ],
    [
      `- (void)${m} {`,
      `    NSURLRequest *request = [NSURLRequest requestWithURL:[self.baseURL URLByAppendingPathComponent:@"${p}"]];`,
      `    [[self.session dataTaskWithRequest:request completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {`,
      `        if (error) { [self.delegate ${m}DidFail:error]; return; }`,
      `        [self.delegate ${m}DidFinish:data];`,
      `    }] resume];`,
      `}`,
    ],
  ]).join('\n');
}

const OBJC_APIS = [
  (n) => [
    `- (void)${n.method()}InBackground {`,
    `    self.backgroundTask = [[UIApplication sharedApplication] beginBackgroundTaskWithExpirationHandler:^{`,
    `        [[UIApplication sharedApplication] endBackgroundTask:self.backgroundTask];`,
    `    }];`,
    `    if (!self.ready) { return; }`,
    `    [self persist];`,
    `    [[UIApplication sharedApplication] endBackgroundTask:self.backgroundTask];`,
    `}`,
  ],
  (n) => [
    `- (NSURLSession *)${n.prop()}Session {`,
    `    NSURLSessionConfiguration *config = [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.${n.prop()}"];`,
    `    config.discretionary = YES;`,
    `    return [NSURLSession sessionWithConfiguration:config delegate:self delegateQueue:nil];`,
    `}`,
  ],
];

function objcFiles(rnd, names, size, { api }) {
  const type = `XY${names.type()}`;
  const props = Array.from({ length: 2 + rnd.int(6) }, () => `@property (nonatomic, strong) ${rnd.pick(['NSArray', 'NSString', 'NSDictionary', 'NSURL'])} *${names.prop()};`);
  const header = [`//`, `//  ${type}.h`, `//`, ``, `#import <Foundation/Foundation.h>`, ``, `NS_ASSUME_NONNULL_BEGIN`, ``,
    `@interface ${type} : NSObject`, ...props, `- (void)${names.method()};`, `@end`, ``, `NS_ASSUME_NONNULL_END`, ``].join('\n');
  let impl = [`//`, `//  ${type}.m`, `//`, ``, `#import "${type}.h"`, `#import <UIKit/UIKit.h>`, ``, `@implementation ${type}`, ``].join('\n');
  const methods = [];
  while (impl.length + methods.join('\n\n').length < size) methods.push(objcMethod(rnd, names));
  if (api) methods.splice(rnd.int(methods.length + 1), 0, rnd.pick(OBJC_APIS)(names).join('\n'));
  impl += methods.join('\n\n') + '\n\n@end\n';
  return { type, header, impl };
}

// ---------------------------------------------------------------- the corpus

function generateCorpus(outDir, { files = 2000, seed = 1, apiRate = 0.006, mainActorRate = 0.08 } = {}) {
  const rnd = randomSource(seed);
  const names = nameMaker(rnd);
  let written = 0;
  let bytes = 0;
  const write = (rel, text) => {
    const file = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written++;
    bytes += Buffer.byteLength(text);
  };
  for (let i = 0; written < files; i++) {
    const folder = path.join(rnd.pick(MODULES), rnd.pick(NOUNS) + 's');
    const flags = { api: rnd.chance(apiRate), mainActor: rnd.chance(mainActorRate) };
    if (rnd.chance(2 / 3)) {
      const size = Math.min(150_000, rnd.logNormal(3500, 0.9));
      write(path.join(folder, `${names.type()}${i}.swift`), swiftFile(rnd, names, size, flags));
    } else {
      const { type, header, impl } = objcFiles(rnd, names, Math.min(150_000, rnd.logNormal(5000, 0.9)), flags);
      write(path.join(folder, `${type}${i}.h`), header);
      write(path.join(folder, `${type}${i}.m`), impl);
    }
  }
  return { files: written, bytes };
}

module.exports = { generateCorpus };

if (require.main === module) {
  const args = process.argv.slice(2);
  const out = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
  const option = (flag, fallback) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
  if (!out) {
    console.error('usage: node scripts/generate-corpus.js OUT_DIR [--files N] [--seed S] [--api-rate R]');
    process.exit(2);
  }
  const made = generateCorpus(path.resolve(out), { files: option('--files', 2000), seed: option('--seed', 1), apiRate: option('--api-rate', 0.006) });
  console.log(`${made.files} files, ${(made.bytes / 1e6).toFixed(1)} MB in ${out}`);
}
