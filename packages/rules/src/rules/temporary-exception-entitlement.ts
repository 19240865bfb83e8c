import { defineRule, plistLocation } from '@bglint/core';
import type { PlistValue } from '@bglint/core';

const PREFIX = 'com.apple.security.temporary-exception.';

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;

export default defineRule({
  meta: {
    id: 'temporary-exception-entitlement',
    severity: 'warning',
    since: '0.2.0',
    summary: 'Temporary-exception sandbox entitlements get apps rejected in App Store review.',
    why:
      '`com.apple.security.temporary-exception.*` entitlements punch holes in the App Sandbox (sending Apple events, ' +
      'reading absolute paths, looking up Mach services). App Review rejects most apps that use them unless the need is ' +
      'justified, and each one must be explained in the review notes. Sending Apple events has a supported alternative, ' +
      '`com.apple.security.scripting-targets`, which names the scripting access groups of the target app. The rule reads ' +
      'every `.entitlements` file in the linted folders and reports at the key\'s line; a key set to `false` or to an ' +
      'empty list grants nothing and is not reported.',
    symptom: 'The app is "rejected during review because of this entitlement".',
    fix: 'Remove the entitlement and use a sandbox-friendly API (security-scoped bookmarks, `NSOpenPanel`, an XPC helper); for Apple events, use `com.apple.security.scripting-targets`.',
    references: [
      'https://developer.apple.com/library/archive/documentation/Miscellaneous/Reference/EntitlementKeyReference/Chapters/AppSandboxTemporaryExceptionEntitlements.html',
      'https://developer.apple.com/documentation/bundleresources/entitlements/com.apple.security.scripting-targets',
      'https://developer.apple.com/app-store/review/guidelines/#software-requirements',
    ],
    tags: ['app-review', 'sandbox', 'project-files'],
    precision: 'very-high',
    messages: {
      temporaryException: '{{key}} is a temporary-exception entitlement; App Review rejects apps using it unless the need is justified. Remove it and use a sandbox-friendly API.',
      appleEvents: '{{key}} is a temporary-exception entitlement; App Review rejects apps using it unless the need is justified. Use com.apple.security.scripting-targets with the target app\'s scripting access groups instead.',
    },
    examples: {
      entitlements: {
        invalid: [
          xml(`\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t↓<key>com.apple.security.temporary-exception.apple-events</key>\n\t<array>\n\t\t<string>com.apple.finder</string>\n\t</array>`),
          xml(`\t↓<key>com.apple.security.temporary-exception.files.absolute-path.read-write</key>\n\t<array>\n\t\t<string>/Library/Application Support/Example/</string>\n\t</array>\n\t↓<key>com.apple.security.temporary-exception.mach-lookup.global-name</key>\n\t<string>com.example.helper</string>`),
        ],
        valid: [
          xml(`\t<key>com.apple.security.app-sandbox</key>\n\t<true/>\n\t<key>com.apple.security.scripting-targets</key>\n\t<dict>\n\t\t<key>com.apple.mail</key>\n\t\t<array>\n\t\t\t<string>com.apple.mail.compose</string>\n\t\t</array>\n\t</dict>`),
          xml(`\t<key>com.apple.security.temporary-exception.apple-events</key>\n\t<false/>`),
        ],
      },
    },
    triggers: [],
  },
  checkProjectFile(context) {
    if (context.kind !== 'entitlements') return;
    for (const [key, value] of Object.entries(context.plist.value)) {
      if (!key.startsWith(PREFIX) || grantsNothing(value)) continue;
      const messageId = key === `${PREFIX}apple-events` ? 'appleEvents' : 'temporaryException';
      context.report({ at: plistLocation(context.plist, [key]).range, messageId, data: { key } });
    }
  },
});

function grantsNothing(value: PlistValue): boolean {
  return value === false || (Array.isArray(value) && value.length === 0);
}
