/** A decoded property-list value. Dicts are plain objects, data is a Uint8Array. */
export type PlistValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | PlistUid
  | PlistValue[]
  | PlistDict;

export interface PlistDict {
  [key: string]: PlistValue;
}

/** A keyed-archiver object reference (binary plists only). */
export interface PlistUid {
  UID: number;
}

/** 1-based line and column; the column counts UTF-16 code units. `end*` is exclusive. */
export interface SourceLocation {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface PlistError {
  message: string;
  line?: number;
  column?: number;
}

/** A key path: `UIBackgroundModes`, `A.B`, `A[2]`, or the segments themselves. */
export type PlistPath = string | readonly (string | number)[];

export interface PlistOk {
  ok: true;
  file: string;
  format: 'xml' | 'binary';
  value: PlistValue;
  /**
   * Where a key path is written: the `<key>` element for a dict entry, the value element for an
   * array item. Binary plists have no locations: every path that exists answers line 1, column 1.
   */
  locate(path: PlistPath): SourceLocation | undefined;
}

export interface PlistFailure {
  ok: false;
  file: string;
  error: PlistError;
}

export type PlistDocument = PlistOk | PlistFailure;

/** Location tree that mirrors the value tree (XML only). */
export interface LocationNode {
  at: SourceLocation;
  keys?: Map<string, LocationNode>;
  items?: LocationNode[];
}
