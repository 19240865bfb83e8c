import type { PlistDict, PlistValue } from './types';

/** Sets a dict entry; `__proto__` becomes an ordinary own property, never a prototype. */
export function setEntry(dict: PlistDict, key: string, value: PlistValue): void {
  if (key === '__proto__') {
    Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    dict[key] = value;
  }
}

export function isDict(value: PlistValue | undefined): value is PlistDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array) &&
    !isUidShape(value)
  );
}

function isUidShape(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'UID' && Object.getPrototypeOf(value) === UidPrototype;
}

/** UIDs carry their own prototype so a dict with a single "UID" key is not mistaken for one. */
const UidPrototype = {};

export function makeUid(value: number): { UID: number } {
  const uid = Object.create(UidPrototype) as { UID: number };
  uid.UID = value;
  return uid;
}
