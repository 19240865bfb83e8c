import { LineIndex } from '../text';
import { setEntry } from './dict';
import type { LocationNode, PlistDict, PlistValue, SourceLocation } from './types';
import { XmlScanner, XmlSyntaxError, decodeEntities, type XmlToken } from './xml-scanner';

/** Result of parsing an XML plist: the value and a location tree mirroring it. */
export interface XmlPlist {
  value: PlistValue;
  locations: LocationNode;
}

type ContainerName = 'plist' | 'dict' | 'array';
const SCALARS = new Set(['key', 'string', 'integer', 'real', 'date', 'data', 'true', 'false']);
const CONTAINERS = new Set<string>(['plist', 'dict', 'array']);

interface PendingKey {
  name: string;
  at: SourceLocation;
}

interface Frame {
  name: string;
  start: number;
  node: LocationNode;
  dict?: PlistDict;
  array?: PlistValue[];
  root?: { value: PlistValue; node: LocationNode };
  pendingKey?: PendingKey;
  text: string;
}

/** Parses XML plist text. Throws XmlSyntaxError (with an offset) on malformed input. */
export function parseXmlPlist(text: string, lines: LineIndex): XmlPlist {
  return new XmlPlistBuilder(text, lines).run();
}

class XmlPlistBuilder {
  private readonly scanner: XmlScanner;
  private readonly stack: Frame[] = [];
  private result?: { value: PlistValue; node: LocationNode };

  constructor(
    text: string,
    private readonly lines: LineIndex,
  ) {
    this.scanner = new XmlScanner(text);
  }

  run(): XmlPlist {
    for (;;) {
      const token = this.scanner.next();
      if (token.kind === 'eof') return this.finish(token.start);
      if (token.kind === 'text') this.onText(token);
      else if (token.kind === 'open') this.onOpen(token);
      else this.onClose(token);
    }
  }

  private finish(offset: number): XmlPlist {
    const open = this.top();
    if (open) throw new XmlSyntaxError(`unclosed <${open.name}> opened on line ${this.lineOf(open.start)}`, offset);
    if (!this.result) throw new XmlSyntaxError('no <plist> element found', offset);
    return { value: this.result.value, locations: this.result.node };
  }

  private onText(token: Extract<XmlToken, { kind: 'text' }>): void {
    const frame = this.top();
    if (frame && SCALARS.has(frame.name) && frame.name !== 'true' && frame.name !== 'false') {
      frame.text += token.raw ? token.text : decodeEntities(token.text, token.start);
      return;
    }
    const stray = token.text.trim();
    if (stray === '') return;
    const where = frame ? `inside <${frame.name}> opened on line ${this.lineOf(frame.start)}` : 'outside <plist>';
    throw new XmlSyntaxError(`unexpected text "${shorten(stray)}" ${where}`, token.start + token.text.indexOf(stray[0]));
  }

  private onOpen(token: Extract<XmlToken, { kind: 'open' }>): void {
    this.checkPlacement(token.name, token.start);
    const frame: Frame = { name: token.name, start: token.start, node: { at: this.loc(token.start) }, text: '' };
    if (token.name === 'dict') frame.dict = {};
    if (token.name === 'array') frame.array = [];
    if (token.name === 'dict') frame.node.keys = new Map();
    if (token.name === 'array') frame.node.items = [];
    this.stack.push(frame);
    if (token.selfClosing) this.complete(token.end);
  }

  private onClose(token: Extract<XmlToken, { kind: 'close' }>): void {
    const frame = this.top();
    if (!frame) throw new XmlSyntaxError(`unexpected </${token.name}>`, token.start);
    if (frame.name === token.name) {
      this.complete(token.end);
      return;
    }
    const opened = `opened on line ${this.lineOf(frame.start)}`;
    if (this.stack.some((f) => f.name === token.name)) {
      throw new XmlSyntaxError(`unclosed <${frame.name}> ${opened} (found </${token.name}>)`, token.start);
    }
    throw new XmlSyntaxError(`unexpected </${token.name}> inside <${frame.name}> ${opened}`, token.start);
  }

  /** Checks that an element named `name` may open here. */
  private checkPlacement(name: string, offset: number): void {
    if (!SCALARS.has(name) && !CONTAINERS.has(name)) throw new XmlSyntaxError(`unknown element <${name}>`, offset);
    const parent = this.top();
    if (!parent) {
      if (this.result) throw new XmlSyntaxError(`unexpected <${name}> after the end of the document`, offset);
      if (!CONTAINERS.has(name)) throw new XmlSyntaxError(`expected <plist> as the root element, found <${name}>`, offset);
      return;
    }
    const opened = `opened on line ${this.lineOf(parent.start)}`;
    if (name === 'plist') throw new XmlSyntaxError(`unexpected <plist> inside <${parent.name}> ${opened}`, offset);
    if (!CONTAINERS.has(parent.name)) {
      throw new XmlSyntaxError(`unexpected <${name}> inside <${parent.name}> ${opened}`, offset);
    }
    if (parent.name === 'dict') this.checkDictEntry(parent, name, offset);
    else if (name === 'key') throw new XmlSyntaxError(`unexpected <key> inside <${parent.name}> ${opened}`, offset);
    else if (parent.name === 'plist' && parent.root) {
      throw new XmlSyntaxError(`more than one value inside <plist> ${opened}`, offset);
    }
  }

  private checkDictEntry(dict: Frame, name: string, offset: number): void {
    const opened = `opened on line ${this.lineOf(dict.start)}`;
    if (!dict.pendingKey && name !== 'key') {
      throw new XmlSyntaxError(`expected <key> inside <dict> ${opened}, found <${name}>`, offset);
    }
    if (dict.pendingKey && name === 'key') {
      const key = dict.pendingKey;
      throw new XmlSyntaxError(`missing value for key "${key.name}" on line ${key.at.line}`, offset);
    }
  }

  /** Pops the top frame (its closing tag ends at `end`) and hands its value to the parent. */
  private complete(end: number): void {
    const frame = this.stack.pop() as Frame;
    const endPos = this.lines.position(end);
    frame.node.at.endLine = endPos.line;
    frame.node.at.endColumn = endPos.column;
    if (frame.name === 'plist') {
      if (!frame.root) throw new XmlSyntaxError(`empty <plist> on line ${this.lineOf(frame.start)}`, frame.start);
      this.result = frame.root;
      return;
    }
    if (frame.name === 'dict' && frame.pendingKey) {
      const key = frame.pendingKey;
      throw new XmlSyntaxError(`missing value for key "${key.name}" on line ${key.at.line}`, end);
    }
    const parent = this.top();
    if (frame.name === 'key' && parent) {
      parent.pendingKey = { name: frame.text, at: frame.node.at };
      return;
    }
    this.attach(parent, this.valueOf(frame), frame.node);
  }

  private attach(parent: Frame | undefined, value: PlistValue, node: LocationNode): void {
    if (!parent) {
      this.result = { value, node };
    } else if (parent.name === 'plist') {
      parent.root = { value, node };
    } else if (parent.dict && parent.pendingKey) {
      const key = parent.pendingKey;
      setEntry(parent.dict, key.name, value);
      parent.node.keys?.set(key.name, { at: key.at, keys: node.keys, items: node.items });
      parent.pendingKey = undefined;
    } else if (parent.array) {
      parent.array.push(value);
      parent.node.items?.push(node);
    }
  }

  private valueOf(frame: Frame): PlistValue {
    const name = frame.name as ContainerName | string;
    if (frame.dict) return frame.dict;
    if (frame.array) return frame.array;
    if (name === 'string') return frame.text;
    if (name === 'true' || name === 'false') return name === 'true';
    return parseScalar(name, frame.text, frame.start);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private loc(offset: number): SourceLocation {
    return this.lines.position(offset);
  }

  private lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }
}

function parseScalar(name: string, text: string, offset: number): PlistValue {
  const trimmed = text.trim();
  if (name === 'integer') return parseInteger(trimmed, offset);
  if (name === 'real') return parseReal(trimmed, offset);
  if (name === 'date') return parseDate(trimmed, offset);
  return parseData(text, offset);
}

function parseInteger(text: string, offset: number): number {
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (/^[+-]?0x[0-9a-f]+$/i.test(text)) {
    const negative = text.startsWith('-');
    const magnitude = parseInt(text.replace(/^[+-]?0x/i, ''), 16);
    return negative ? -magnitude : magnitude;
  }
  throw new XmlSyntaxError(`invalid <integer> "${shorten(text)}"`, offset);
}

function parseReal(text: string, offset: number): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new XmlSyntaxError(`invalid <real> "${shorten(text)}"`, offset);
  return value;
}

function parseDate(text: string, offset: number): Date {
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new XmlSyntaxError(`invalid <date> "${shorten(text)}"`, offset);
  return date;
}

function parseData(text: string, offset: number): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new XmlSyntaxError('invalid base64 in <data>', offset);
  return Uint8Array.from(Buffer.from(compact, 'base64'));
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
