import { defineRule, everDischarges, isBeginRequest, leakThrough, leakingClosures, requestEnding, typeMayEndRequest, userEndsRequest, viewControllerEnding, viewControllerRequest } from '@bglint/core';
import type { Discharge, Fix, FunctionDecl, JumpStmt, RuleContext, ViewControllerRequest } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'extension-request-not-completed',
    severity: 'warning',
    since: '0.3.0',
    summary: 'beginRequest(with:), and a share or action extension\'s view controller, must complete or cancel the extension request on every path.',
    why:
      'An app extension that handles requests itself (`NSExtensionRequestHandling`: Safari web extension handlers, ' +
      'CallKit directory providers, custom share and action extensions) is given an `NSExtensionContext` in ' +
      '`beginRequest(with:)`. The host app waits until the extension calls `completeRequest(returningItems:completionHandler:)` ' +
      '(CallKit: `completeRequest(completionHandler:)`) or `cancelRequest(withError:)`; only then does it get its answer and ' +
      'the system end the extension. A path that leaves without either — an early `return` in a `guard`, a completion ' +
      'handler that gives up on error — leaves the host waiting: the share sheet spins, Safari\'s native message never ' +
      'gets its reply, the call directory never reloads, and the extension lingers until the system kills it. The rule ' +
      'follows the request through closures handed to other calls and through functions of the same file; when the ' +
      'context is stored in a property or passed to code in another file, that code answers for it. A `beginRequest` ' +
      'that calls `super.beginRequest(with:)` (a view controller that keeps the context) is left alone.\n\n' +
      'Most share and action extensions are view controllers that never see `beginRequest`: the system gives the ' +
      'request to `self.extensionContext`. The rule checks the method that begins handling it, and reports at that ' +
      'method\'s declaration, since no `beginRequest` is written: `didSelectPost` of an `SLComposeServiceViewController` ' +
      '(the user tapped Post; it must complete, cancel or call `super.didSelectPost()` on every path, and an overridden ' +
      '`didSelectCancel` must cancel or call super), otherwise the first of `loadView` / `viewDidLoad` / `viewWillAppear` / ' +
      '`viewDidAppear` that reads the context\'s `inputItems`, itself or through the closures and methods of the file it ' +
      'calls. A closure given to a method of the same file counts only where that method calls it: a `loadURL(completion:)` ' +
      'that calls its completion for a URL attachment but not for an image leaves the request open. A view controller ' +
      'whose user ends the request — an `@IBAction` (ObjC `- (IBAction)`), a method named by `#selector` / `@selector` ' +
      '(a bar button\'s action) or a `UIAction` handler that completes or cancels — keeps its view on screen whatever path ' +
      'the lifecycle method takes, so its lifecycle paths may wait for the user. A context handed to a SwiftUI view or ' +
      'another file\'s code (`ShareView(context: extensionContext)`) is that code\'s to answer, but a path that leaves ' +
      'before handing it on still leaks. A lifecycle method that never answers in a view controller where nothing else ' +
      'does either is reported; one whose answer may come from a later event (a delegate callback of this file, a method ' +
      'of another file) is left alone. Being in an app-extension target is not enough on its own: Today widgets, ' +
      'notification content and iMessage extensions have an `extensionContext` but no request to complete.',
    symptom:
      'The host app waits for an answer that never comes; in the forum thread, not calling ' +
      '`context.completeRequest(returningItems: nil)` "keeps the app extension running".',
    fix:
      'Call `context.completeRequest(returningItems:completionHandler:)` when the work is done and ' +
      '`context.cancelRequest(withError:)` on every failure path (a `guard … else` included), also inside completion ' +
      'handlers. In a share or action view controller, answer through `extensionContext` on every path of the method that ' +
      'begins handling the request (closures and helpers included), hand the context to the view that will answer, or ' +
      'give the user a control (`@IBAction`, a bar button) that completes or cancels. A suggestion inserts the cancel ' +
      'before an early exit.',
    references: [
      'https://developer.apple.com/documentation/foundation/nsextensionrequesthandling/beginrequest(with:)',
      'https://developer.apple.com/documentation/foundation/nsextensioncontext/completerequest(returningitems:completionhandler:)',
      'https://developer.apple.com/documentation/foundation/nsextensioncontext/cancelrequest(witherror:)',
      'https://developer.apple.com/documentation/callkit/cxcalldirectoryextensioncontext/completerequest(completionhandler:)',
    ],
    tags: ['correctness', 'app-extensions'],
    precision: 'high',
    hasSuggestions: true,
    messages: {
      never: 'beginRequest never completes or cancels the extension request, so the host app waits until the system kills the extension. Call completeRequest(returningItems:completionHandler:) when done and cancelRequest(withError:) on failure.',
      exit: 'The {{exit}} on line {{line}} leaves without completing or cancelling the extension request, so the host app waits until the system kills the extension. Call cancelRequest(withError:) before leaving.',
      end: 'A path through beginRequest reaches its end without completing or cancelling the extension request, so the host app waits until the system kills the extension. Complete or cancel the request on every path.',
      vcNever: '{{method}} begins handling the extension request, but nothing in this view controller completes or cancels it, so the host app waits until the system kills the extension. Call extensionContext.completeRequest(returningItems:completionHandler:) when done and cancelRequest(withError:) on failure.',
      vcExit: 'The {{exit}} on line {{line}} leaves {{method}} without completing or cancelling the extension request, and no control of this view controller ends it, so the host app waits until the system kills the extension. Call extensionContext.cancelRequest(withError:) before leaving.',
      vcEnd: 'A path through {{method}} reaches its end without completing or cancelling the extension request, and no control of this view controller ends it, so the host app waits until the system kills the extension. Complete or cancel the request on every path.',
    },
    examples: {
      swift: {
        invalid: [
          `final class ActionRequestHandler: NSObject, NSExtensionRequestHandling {\n  func ↓beginRequest(with context: NSExtensionContext) {\n    guard let item = context.inputItems.first as? NSExtensionItem,\n          let provider = item.attachments?.first else { return }\n    provider.loadItem(forTypeIdentifier: UTType.url.identifier) { value, _ in\n      let output = NSExtensionItem()\n      output.attachments = [NSItemProvider(item: value as? NSSecureCoding, typeIdentifier: UTType.url.identifier)]\n      context.completeRequest(returningItems: [output], completionHandler: nil)\n    }\n  }\n}`,
          `final class SafariWebExtensionHandler: NSObject, NSExtensionRequestHandling {\n  func ↓beginRequest(with context: NSExtensionContext) {\n    let item = context.inputItems.first as? NSExtensionItem\n    let message = item?.userInfo?[SFExtensionMessageKey]\n    store.handle(message) { reply, error in\n      if let error {\n        logger.error("\\(error)")\n        return\n      }\n      let response = NSExtensionItem()\n      response.userInfo = [SFExtensionMessageKey: reply]\n      context.completeRequest(returningItems: [response], completionHandler: nil)\n    }\n  }\n}`,
          `final class CallDirectoryHandler: CXCallDirectoryProvider {\n  override func ↓beginRequest(with context: CXCallDirectoryExtensionContext) {\n    context.delegate = self\n    addBlockingEntries(to: context)\n  }\n\n  private func addBlockingEntries(to context: CXCallDirectoryExtensionContext) {\n    for number in BlockList.numbers { context.addBlockingEntry(withNextSequentialPhoneNumber: number) }\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func ↓viewDidAppear(_ animated: Bool) {\n    super.viewDidAppear(animated)\n    loadURL { url in\n      guard let url else {\n        self.extensionContext?.cancelRequest(withError: ShareError.noURL)\n        return\n      }\n      Inbox.save(url)\n      self.extensionContext?.completeRequest(returningItems: nil, completionHandler: nil)\n    }\n  }\n\n  private func loadURL(completion: @escaping (URL?) -> Void) {\n    guard let item = extensionContext?.inputItems.first as? NSExtensionItem else { return completion(nil) }\n    for provider in item.attachments ?? [] where provider.hasItemConformingToTypeIdentifier(UTType.url.identifier) {\n      provider.loadItem(forTypeIdentifier: UTType.url.identifier) { value, _ in completion(value as? URL) }\n      return\n    }\n  }\n}`,
          `final class ShareViewController: SLComposeServiceViewController {\n  override func ↓didSelectPost() {\n    guard let item = extensionContext?.inputItems.first as? NSExtensionItem,\n          let provider = item.attachments?.first else { return }\n    provider.loadItem(forTypeIdentifier: UTType.url.identifier) { value, _ in\n      Inbox.save(value as? URL, note: self.contentText)\n      self.extensionContext?.completeRequest(returningItems: [], completionHandler: nil)\n    }\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func ↓viewDidLoad() {\n    super.viewDidLoad()\n    guard let item = extensionContext?.inputItems.first as? NSExtensionItem else { return }\n    let host = UIHostingController(rootView: ShareView(item: item, context: extensionContext))\n    addChild(host)\n    view.addSubview(host.view)\n  }\n}`,
        ],
        valid: [
          `final class SafariWebExtensionHandler: NSObject, NSExtensionRequestHandling {\n  func beginRequest(with context: NSExtensionContext) {\n    let item = context.inputItems.first as? NSExtensionItem\n    let response = NSExtensionItem()\n    response.userInfo = [SFExtensionMessageKey: ["echo": item?.userInfo?[SFExtensionMessageKey]]]\n    context.completeRequest(returningItems: [response], completionHandler: nil)\n  }\n}`,
          `final class ActionRequestHandler: NSObject, NSExtensionRequestHandling {\n  func beginRequest(with context: NSExtensionContext) {\n    guard let item = context.inputItems.first as? NSExtensionItem else {\n      context.cancelRequest(withError: NSError(domain: NSCocoaErrorDomain, code: NSUserCancelledError))\n      return\n    }\n    process(item) { output in\n      defer { context.completeRequest(returningItems: output, completionHandler: nil) }\n      log(output)\n    }\n  }\n}`,
          `final class CallDirectoryHandler: CXCallDirectoryProvider {\n  override func beginRequest(with context: CXCallDirectoryExtensionContext) {\n    context.delegate = self\n    addBlockingEntries(to: context)\n    context.completeRequest()\n  }\n\n  private func addBlockingEntries(to context: CXCallDirectoryExtensionContext) {\n    for number in BlockList.numbers { context.addBlockingEntry(withNextSequentialPhoneNumber: number) }\n  }\n}`,
          `final class ActionRequestHandler: NSObject, NSExtensionRequestHandling {\n  func beginRequest(with context: NSExtensionContext) {\n    finish(context, items: context.inputItems)\n  }\n\n  private func finish(_ context: NSExtensionContext, items: [Any]) {\n    switch items.count {\n    case 0: context.cancelRequest(withError: HandlerError.noInput)\n    default: context.completeRequest(returningItems: items, completionHandler: nil)\n    }\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func beginRequest(with context: NSExtensionContext) {\n    super.beginRequest(with: context)\n    prepareAttachments()\n  }\n}`,
          { code: `final class ActionRequestHandler: NSObject, NSExtensionRequestHandling {\n  func beginRequest(with context: NSExtensionContext) {\n    guard let item = context.inputItems.first as? NSExtensionItem else {\n      finish(context, with: [])\n      return\n    }\n    finish(context, with: [item])\n  }\n}`, project: { sources: [`extension ActionRequestHandler {\n  func finish(_ context: NSExtensionContext, with items: [NSExtensionItem]) {\n    context.completeRequest(returningItems: items, completionHandler: nil)\n  }\n}`] } },
          `final class ActionRequestHandler: NSObject, NSExtensionRequestHandling {\n  var context: NSExtensionContext?\n  func beginRequest(with context: NSExtensionContext) {\n    self.context = context\n    loader.start()\n  }\n}`,
          `final class ActionViewController: UIViewController {\n  @IBOutlet var imageView: UIImageView!\n\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    guard let item = extensionContext?.inputItems.first as? NSExtensionItem,\n          let provider = item.attachments?.first else { return }\n    provider.loadItem(forTypeIdentifier: UTType.image.identifier) { image, _ in\n      OperationQueue.main.addOperation { self.imageView.image = image as? UIImage }\n    }\n  }\n\n  @IBAction func done() {\n    extensionContext?.completeRequest(returningItems: extensionContext?.inputItems, completionHandler: nil)\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    navigationItem.leftBarButtonItem = UIBarButtonItem(barButtonSystemItem: .cancel, target: self, action: #selector(cancel))\n    if let item = extensionContext?.inputItems.first as? NSExtensionItem { preview.show(item) }\n  }\n\n  @objc private func cancel() {\n    extensionContext?.cancelRequest(withError: CocoaError(.userCancelled))\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    let items = extensionContext?.inputItems as? [NSExtensionItem] ?? []\n    let host = UIHostingController(rootView: ShareView(items: items, context: extensionContext))\n    addChild(host)\n    view.addSubview(host.view)\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  override func viewDidAppear(_ animated: Bool) {\n    super.viewDidAppear(animated)\n    loadURL { url in\n      guard let url else {\n        self.extensionContext?.cancelRequest(withError: ShareError.noURL)\n        return\n      }\n      Inbox.save(url)\n      self.extensionContext?.completeRequest(returningItems: nil, completionHandler: nil)\n    }\n  }\n\n  private func loadURL(completion: @escaping (URL?) -> Void) {\n    guard let item = extensionContext?.inputItems.first as? NSExtensionItem else { return completion(nil) }\n    for provider in item.attachments ?? [] where provider.hasItemConformingToTypeIdentifier(UTType.url.identifier) {\n      provider.loadItem(forTypeIdentifier: UTType.url.identifier) { value, _ in completion(value as? URL) }\n      return\n    }\n    completion(nil)\n  }\n}`,
          `final class ShareViewController: SLComposeServiceViewController {\n  override func didSelectPost() {\n    Task {\n      do {\n        try await Inbox.upload(text: contentText, items: extensionContext?.inputItems ?? [])\n        extensionContext?.completeRequest(returningItems: [], completionHandler: nil)\n      } catch {\n        extensionContext?.cancelRequest(withError: error)\n      }\n    }\n  }\n}`,
          `final class ShareViewController: SLComposeServiceViewController {\n  override func didSelectPost() {\n    Inbox.queue(text: contentText)\n    super.didSelectPost()\n  }\n}`,
          `final class ShareViewController: UIViewController {\n  private let model = ShareModel()\n\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    model.onFinish = { [weak self] in self?.extensionContext?.completeRequest(returningItems: nil) }\n    model.onCancel = { [weak self] in self?.extensionContext?.cancelRequest(withError: CocoaError(.userCancelled)) }\n    let host = UIHostingController(rootView: ShareView(model: model))\n    addChild(host)\n    view.addSubview(host.view)\n    model.load(extensionContext?.inputItems as? [NSExtensionItem] ?? [])\n  }\n}`,
          `final class ShareNavigationController: UINavigationController {\n  override func viewDidLoad() {\n    super.viewDidLoad()\n    let providers = (extensionContext?.inputItems as? [NSExtensionItem])?.flatMap { $0.attachments ?? [] } ?? []\n    guard !providers.isEmpty else {\n      extensionContext?.cancelRequest(withError: CocoaError(.fileNoSuchFile))\n      return\n    }\n    viewControllers = [SaveViewController(providers: providers)]\n  }\n}`,
        ],
      },
      objc: {
        invalid: [
          `@implementation ActionRequestHandler\n- (void)↓beginRequestWithExtensionContext:(NSExtensionContext *)context {\n  NSExtensionItem *item = context.inputItems.firstObject;\n  if (item == nil) {\n    return;\n  }\n  [self transformItem:item completion:^(NSExtensionItem *output) {\n    [context completeRequestReturningItems:@[output] completionHandler:nil];\n  }];\n}\n@end`,
          `@implementation ShareViewController\n- (void)↓viewDidLoad {\n  [super viewDidLoad];\n  NSExtensionItem *item = self.extensionContext.inputItems.firstObject;\n  NSItemProvider *provider = item.attachments.firstObject;\n  if (![provider hasItemConformingToTypeIdentifier:@"public.url"]) {\n    return;\n  }\n  [provider loadItemForTypeIdentifier:@"public.url" options:nil completionHandler:^(NSURL *url, NSError *error) {\n    [Inbox save:url];\n    [self.extensionContext completeRequestReturningItems:@[] completionHandler:nil];\n  }];\n}\n@end`,
        ],
        valid: [
          `@implementation ActionRequestHandler\n- (void)beginRequestWithExtensionContext:(NSExtensionContext *)context {\n  NSExtensionItem *item = context.inputItems.firstObject;\n  if (item == nil) {\n    [context cancelRequestWithError:[NSError errorWithDomain:NSCocoaErrorDomain code:NSUserCancelledError userInfo:nil]];\n    return;\n  }\n  [self transformItem:item completion:^(NSExtensionItem *output) {\n    [context completeRequestReturningItems:@[output] completionHandler:nil];\n  }];\n}\n@end`,
          `@implementation ActionViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  NSExtensionItem *item = self.extensionContext.inputItems.firstObject;\n  if (item == nil) {\n    return;\n  }\n  [self showItem:item];\n}\n\n- (IBAction)done:(id)sender {\n  [self.extensionContext completeRequestReturningItems:self.extensionContext.inputItems completionHandler:nil];\n}\n@end`,
          `@implementation ShareViewController\n- (void)viewDidLoad {\n  [super viewDidLoad];\n  NSExtensionItem *item = self.extensionContext.inputItems.firstObject;\n  NSItemProvider *provider = item.attachments.firstObject;\n  if (![provider hasItemConformingToTypeIdentifier:@"public.url"]) {\n    [self.extensionContext cancelRequestWithError:[NSError errorWithDomain:NSCocoaErrorDomain code:NSUserCancelledError userInfo:nil]];\n    return;\n  }\n  [provider loadItemForTypeIdentifier:@"public.url" options:nil completionHandler:^(NSURL *url, NSError *error) {\n    [Inbox save:url];\n    [self.extensionContext completeRequestReturningItems:@[] completionHandler:nil];\n  }];\n}\n@end`,
        ],
      },
    },
    triggers: ['beginRequest', 'inputItems', 'didSelectPost', 'didSelectCancel'],
  },
  create(context) {
    // A view controller begins the request in didSelectPost/Cancel or where this file reads inputItems:
    // without either, no lifecycle method needs its body (and callees) read.
    const viewControllerMayHandle = /inputItems|didSelect(Post|Cancel)/.test(context.text);
    return {
      function(fn) {
        if (isBeginRequest(fn) && fn.body) {
          checkRequest(context, fn);
          return;
        }
        const kind = viewControllerMayHandle ? viewControllerRequest(fn, context.index) : undefined;
        if (kind) checkViewController(context, fn, kind);
      },
    };
  },
});

function checkRequest(context: RuleContext, fn: FunctionDecl): void {
  const name = fn.params[0];
  const ending = requestEnding(fn, name, context.index);
  if (!everDischarges(fn.body!, ending)) {
    context.report({ at: fn.nameSpan, messageId: 'never' });
    return;
  }
  reportLeak(context, fn, ending, name, 'exit', 'end');
}

/**
 * A share or action extension's view controller: the method that begins handling the request must
 * end it on every path, unless the user ends it (a control's action) — the view stays on screen then.
 */
function checkViewController(context: RuleContext, fn: FunctionDecl, kind: ViewControllerRequest): void {
  if (kind === 'lifecycle' && userEndsRequest(fn, context.text, context.index)) return;
  const ending = viewControllerEnding(fn, context.index);
  if (!everDischarges(fn.body!, ending)) {
    // The answer may come from a later event this file shows (a delegate callback) or another file.
    if (!typeMayEndRequest(fn, context.index)) context.report({ at: fn.nameSpan, messageId: 'vcNever', data: { method: fn.name } });
    return;
  }
  const receiver = context.language === 'swift' ? 'self.extensionContext?' : 'self.extensionContext';
  reportLeak(context, fn, ending, receiver, 'vcExit', 'vcEnd');
}

function reportLeak(context: RuleContext, fn: FunctionDecl, ending: Discharge, receiver: string | undefined, exitId: string, endId: string): void {
  const whole = leakThrough(fn, ending);
  if (!whole) return;
  // Falling off the end usually means a handed-off closure gives up somewhere: name that exit.
  const leak = whole.at ? whole : leakingClosures(fn.body!, ending).find((c) => c.leak.at)?.leak ?? whole;
  const method = fn.name;
  if (!leak.at) {
    context.report({ at: fn.nameSpan, messageId: endId, data: { method } });
    return;
  }
  const suggest = receiver ? [cancelBefore(context, leak.at, receiver)] : undefined;
  context.report({ at: fn.nameSpan, messageId: exitId, data: { method, exit: leak.at.jump, line: leak.at.range.start.line }, suggest, related: [{ at: leak.at, message: 'leaves here' }] });
}

function cancelBefore(context: RuleContext, exit: JumpStmt, name: string): Fix {
  const cancel = context.language === 'swift'
    ? `${name}.cancelRequest(withError: NSError(domain: NSCocoaErrorDomain, code: NSUserCancelledError)); `
    : `[${name} cancelRequestWithError:[NSError errorWithDomain:NSCocoaErrorDomain code:NSUserCancelledError userInfo:nil]]; `;
  return { description: 'Cancel the request before leaving', edits: [context.insertAt(exit.startIndex, cancel)] };
}
