/**
 * bglint's property-list reader (XML here and in xml.ts / xml-scanner.ts, binary in binary.ts). Its
 * own, not the `plist` package: findings and the language server point at the line and column of
 * an Info.plist or entitlements key (`locate.ts`), and `plist` returns values only, without where
 * they were; it reads no binary plists either. So packages/project depends on no plist library.
 */
import { LineIndex, decodeText } from '../text';
import { isBinaryPlist, parseBinaryPlist } from './binary';
import { locateBinary, locateXml } from './locate';
import type { PlistDocument, PlistValue } from './types';
import { parseXmlPlist } from './xml';
import { XmlSyntaxError } from './xml-scanner';

/**
 * Reads an XML or binary (bplist00) property list. Never throws: a malformed file gives
 * `{ ok: false, error }` with a message naming what is wrong and, for XML, its line and column.
 */
export function readPlist(text: Buffer | Uint8Array | string, file: string): PlistDocument {
  if (typeof text !== 'string' && isBinaryPlist(text)) return readBinary(text, file);
  if (typeof text === 'string' && text.startsWith('bplist')) {
    return failure(file, 'binary plist passed as text; pass the file bytes as a Buffer', 1, 1);
  }
  const source = decodeText(typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength));
  return readXml(source, file);
}

function readBinary(bytes: Uint8Array, file: string): PlistDocument {
  let value: PlistValue;
  try {
    value = parseBinaryPlist(bytes);
  } catch (error) {
    return failure(file, `malformed binary plist: ${messageOf(error)}`, 1, 1);
  }
  return { ok: true, file, format: 'binary', value, locate: (path) => locateBinary(value, path) };
}

function readXml(source: string, file: string): PlistDocument {
  const lines = new LineIndex(source);
  const first = source.trimStart();
  if (first === '') return failure(file, 'empty file', 1, 1);
  if (!first.startsWith('<')) {
    const at = lines.position(source.length - first.length);
    return failure(file, 'old-style (OpenStep) plists are not supported; convert with `plutil -convert xml1`', at.line, at.column);
  }
  try {
    const { value, locations } = parseXmlPlist(source, lines);
    return { ok: true, file, format: 'xml', value, locate: (path) => locateXml(locations, path) };
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) return failure(file, messageOf(error));
    const at = lines.position(error.offset);
    return failure(file, error.message, at.line, at.column);
  }
}

function failure(file: string, message: string, line?: number, column?: number): PlistDocument {
  return { ok: false, file, error: { message, line, column } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
