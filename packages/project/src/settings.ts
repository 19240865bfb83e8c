import type { BuildSettings } from './build-variables';

export type Platform = 'ios' | 'macos' | 'maccatalyst' | 'tvos' | 'watchos' | 'visionos';
export type SwiftLanguageMode = 5 | 6;
export type DefaultIsolation = 'MainActor' | 'nonisolated';

const PLATFORM_NAMES: Record<string, Platform> = {
  iphoneos: 'ios',
  iphonesimulator: 'ios',
  macosx: 'macos',
  appletvos: 'tvos',
  appletvsimulator: 'tvos',
  watchos: 'watchos',
  watchsimulator: 'watchos',
  xros: 'visionos',
  xrsimulator: 'visionos',
};

/** `SWIFT_VERSION` → language mode: 6 for 6.x and later, 5 for anything older (4.2 included). */
export function swiftModeFromVersion(version: string | undefined): SwiftLanguageMode | undefined {
  const major = version === undefined ? NaN : parseInt(version.trim(), 10);
  if (Number.isNaN(major)) return undefined;
  return major >= 6 ? 6 : 5;
}

export function isolationFromSetting(value: string | undefined): DefaultIsolation | undefined {
  const trimmed = value?.trim();
  if (trimmed === 'MainActor') return 'MainActor';
  if (trimmed === 'nonisolated') return 'nonisolated';
  return undefined;
}

/** Platforms from SUPPORTED_PLATFORMS (falling back to SDKROOT), plus Mac Catalyst when enabled. */
export function platformsFromSettings(settings: BuildSettings): Platform[] {
  const supported = settings.SUPPORTED_PLATFORMS;
  const words = supported && !supported.includes('$') ? supported : settings.SDKROOT ?? '';
  const platforms = new Set<Platform>();
  for (const word of words.split(/\s+/)) {
    const name = word.replace(/[\d.]+$/, '');
    if (Object.hasOwn(PLATFORM_NAMES, name)) platforms.add(PLATFORM_NAMES[name]);
  }
  if (isYes(settings.SUPPORTS_MACCATALYST)) platforms.add('maccatalyst');
  return [...platforms];
}

export function isYes(value: string | undefined): boolean {
  return value !== undefined && /^(YES|TRUE|1)$/i.test(value.trim());
}

/** The INFOPLIST_KEY_* settings with the prefix removed. */
export function generatedInfoPlistKeys(settings: BuildSettings): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (name.startsWith('INFOPLIST_KEY_') && !name.includes('[')) keys[name.slice('INFOPLIST_KEY_'.length)] = value;
  }
  return keys;
}
