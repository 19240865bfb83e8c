import { defineRule, hasBackgroundMode, isTrue, lastName, plistName, processInfoPlist, relatedAtKey } from '@bglint/core';

export default defineRule({
  meta: {
    id: 'location-background-mode-missing',
    severity: 'error',
    since: '0.2.0',
    summary: 'Setting `allowsBackgroundLocationUpdates = true` needs the `location` background mode in Info.plist.',
    why:
      'Core Location checks `UIBackgroundModes` when `allowsBackgroundLocationUpdates` is set to true: without the ' +
      '`location` mode it raises an exception and the app crashes at that line. Only a literal `true`/`YES` is reported ' +
      '(a variable may be false whenever the mode is missing). The Info.plist is the one of the file\'s own target, ' +
      'including keys Xcode generates from `INFOPLIST_KEY_*` build settings; with no known Info.plist the rule is silent. ' +
      'Code in a framework or Swift package is not checked: it runs with the Info.plist of whichever app links it.',
    symptom: 'The app crashes with an `NSInternalInconsistencyException` from `-[CLLocationManager setAllowsBackgroundLocationUpdates:]`.',
    logPatterns: [{ pattern: /!stayUp \|\| CLClientIsBackgroundable/, weight: 3 }],
    fix: 'Add `location` to `UIBackgroundModes` (Signing & Capabilities → Background Modes → Location updates) in the target that sets the flag, or do not set it.',
    references: [
      'https://developer.apple.com/documentation/corelocation/cllocationmanager/allowsbackgroundlocationupdates',
      'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes',
    ],
    tags: ['correctness', 'crash', 'location', 'project-files'],
    precision: 'very-high',
    messages: {
      missing: 'allowsBackgroundLocationUpdates is set to true, but UIBackgroundModes in {{plist}} does not contain "location": Core Location throws an exception here and the app crashes. Add the location background mode.',
    },
    examples: {
      swift: {
        invalid: [
          { code: `func startTracking() {\n  manager.delegate = self\n  ↓manager.allowsBackgroundLocationUpdates = true\n  manager.startUpdatingLocation()\n}`, project: { infoPlist: { UIBackgroundModes: ['fetch'] } } },
          { code: `func startTracking() {\n  ↓locationManager.allowsBackgroundLocationUpdates = true\n}`, project: { infoPlist: { CFBundleName: 'Runner' } } },
        ],
        valid: [
          { code: `func startTracking() {\n  manager.allowsBackgroundLocationUpdates = true\n  manager.startUpdatingLocation()\n}`, project: { infoPlist: { UIBackgroundModes: ['fetch', 'location'] } } },
          { code: `func startTracking() {\n  manager.allowsBackgroundLocationUpdates = true\n}`, project: { generatedInfoPlistKeys: { UIBackgroundModes: 'location' } } },
          { code: `func stopTracking() {\n  manager.allowsBackgroundLocationUpdates = false\n  manager.allowsBackgroundLocationUpdates = settings.trackInBackground\n}`, project: { infoPlist: { UIBackgroundModes: ['fetch'] } } },
          `func startTracking() {\n  manager.allowsBackgroundLocationUpdates = true\n}`,
          { code: `public final class LocationFeed {\n  public func start() {\n    manager.allowsBackgroundLocationUpdates = true\n  }\n}`, project: { infoPlist: { CFBundlePackageType: 'FMWK' }, bundle: 'library' } },
        ],
      },
      objc: {
        invalid: [
          { code: `@implementation Tracker\n- (void)start {\n  ↓self.manager.allowsBackgroundLocationUpdates = YES;\n  ↓[self.manager setAllowsBackgroundLocationUpdates:YES];\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['audio'] } } },
        ],
        valid: [
          { code: `@implementation Tracker\n- (void)start {\n  [self.manager setAllowsBackgroundLocationUpdates:YES];\n}\n@end`, project: { infoPlist: { UIBackgroundModes: ['location'] } } },
        ],
      },
    },
    triggers: ['llowsBackgroundLocationUpdates'],
  },
  create(context) {
    const infoPlist = processInfoPlist(context.project);
    if (!infoPlist || hasBackgroundMode(infoPlist, 'location')) return {};
    return {
      assign(node) {
        if (lastName(node.target) !== 'allowsBackgroundLocationUpdates' || !isTrue(node.value)) return;
        context.report({
          at: node,
          messageId: 'missing',
          data: { plist: plistName(infoPlist) },
          related: [relatedAtKey(infoPlist, ['UIBackgroundModes'], 'where the "location" mode belongs (UIBackgroundModes)')],
        });
      },
    };
  },
});
