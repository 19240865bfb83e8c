import { LineIndex, decodeText } from '../text';

/** A value in an OpenStep-style property list (project.pbxproj). Data `<…>` is kept as its text. */
export type PbxValue = string | PbxValue[] | PbxDict;
export interface PbxDict {
  [key: string]: PbxValue;
}

export interface PbxError {
  message: string;
  line: number;
  column: number;
}

export type PbxParseResult = { ok: true; value: PbxValue } | { ok: false; error: PbxError };

type Punct = '{' | '}' | '(' | ')' | '=' | ';' | ',';
type Token = { kind: 'punct'; text: Punct; start: number } | { kind: 'string'; text: string; start: number } | { kind: 'eof'; start: number };

class PbxSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const PUNCT = new Set(['{', '}', '(', ')', '=', ';', ',']);
/** Characters that end a bare word, by code (ASCII; other code points: whitespace ends one). */
const STOPS_BARE = new Uint8Array(128);
for (const c of [...PUNCT, '"', "'", '<', '>']) STOPS_BARE[c.charCodeAt(0)] = 1;
for (let c = 0; c < 128; c++) if (/\s/.test(String.fromCharCode(c))) STOPS_BARE[c] = 1;
const endsBare = (code: number) => (code < 128 ? STOPS_BARE[code] === 1 : /\s/.test(String.fromCharCode(code)));
const SLASH = 47;
const STAR = 42;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

class PbxTokenizer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  next(): Token {
    this.skipTrivia();
    const start = this.pos;
    if (start >= this.text.length) return { kind: 'eof', start };
    const c = this.text[start];
    if (PUNCT.has(c)) {
      this.pos++;
      return { kind: 'punct', text: c as Punct, start };
    }
    if (c === '"' || c === "'") return { kind: 'string', text: this.readQuoted(c), start };
    if (c === '<') return { kind: 'string', text: this.readData(), start };
    return { kind: 'string', text: this.readBare(), start };
  }

  private skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) this.pos++;
      else if (text.startsWith('//', this.pos)) {
        while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') this.pos++;
      } else if (text.startsWith('/*', this.pos)) {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new PbxSyntaxError(`unterminated comment opened on line ${this.lineOf(this.pos)}`, text.length);
        this.pos = end + 2;
      } else return;
    }
  }

  private readBare(): string {
    const start = this.pos;
    const text = this.text;
    // Character codes, not one-character strings and a regex each: a large project file is mostly bare words.
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 36 && text.charCodeAt(this.pos + 1) === 40) this.skipVariable(); // `$(`
      else if (endsBare(c) || (c === SLASH && text.charCodeAt(this.pos + 1) === STAR)) break;
      else this.pos++;
    }
    if (this.pos === start) throw new PbxSyntaxError(`unexpected character "${text[start]}"`, start);
    return text.slice(start, this.pos);
  }

  /** Lets an unquoted `$(SRCROOT)/x` through: Xcode quotes these, hand-written files may not. */
  private skipVariable(): void {
    const close = this.text.indexOf(')', this.pos);
    this.pos = close < 0 ? this.text.length : close + 1;
  }

  private readQuoted(quote: string): string {
    const start = this.pos;
    const text = this.text;
    const close = quote.charCodeAt(0);
    let out = '';
    this.pos++;
    // The runs between escapes are sliced whole.
    let run = this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === close) {
        out += text.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c === 92) { // backslash
        out += text.slice(run, this.pos) + this.readEscape();
        run = this.pos;
      } else this.pos++;
    }
    throw new PbxSyntaxError(`unterminated string opened on line ${this.lineOf(start)}`, start);
  }

  private readEscape(): string {
    const text = this.text;
    const c = text[this.pos + 1] ?? '';
    const unicode = /^U([0-9a-fA-F]{4})/.exec(text.slice(this.pos + 1, this.pos + 6));
    if (unicode) {
      this.pos += 6;
      return String.fromCharCode(parseInt(unicode[1], 16));
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(this.pos + 1, this.pos + 4));
    if (octal) {
      this.pos += 1 + octal[0].length;
      return String.fromCharCode(parseInt(octal[0], 8));
    }
    this.pos += 2;
    return Object.hasOwn(ESCAPES, c) ? ESCAPES[c] : c;
  }

  private readData(): string {
    const start = this.pos;
    const end = this.text.indexOf('>', start);
    if (end < 0) throw new PbxSyntaxError(`unterminated <data> opened on line ${this.lineOf(start)}`, start);
    this.pos = end + 1;
    return this.text.slice(start, end + 1);
  }

  private lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }
}

type DictState = 'key' | 'equals' | 'value' | 'semicolon';
type ArrayState = 'item' | 'comma';
type Frame =
  | { kind: 'dict'; value: PbxDict; start: number; state: DictState; key: string }
  | { kind: 'array'; value: PbxValue[]; start: number; state: ArrayState };

/** Parses OpenStep plist text (project.pbxproj). Iterative; never throws. */
export function parseOpenStep(input: Buffer | string): PbxParseResult {
  const text = decodeText(input);
  const lines = new LineIndex(text);
  try {
    return { ok: true, value: new OpenStepParser(text, lines).run() };
  } catch (error) {
    if (!(error instanceof PbxSyntaxError)) {
      return { ok: false, error: { message: error instanceof Error ? error.message : String(error), line: 1, column: 1 } };
    }
    const at = lines.position(error.offset);
    return { ok: false, error: { message: error.message, line: at.line, column: at.column } };
  }
}

class OpenStepParser {
  private readonly tokens: PbxTokenizer;
  private readonly stack: Frame[] = [];
  private root: PbxValue | undefined;

  constructor(
    text: string,
    private readonly lines: LineIndex,
  ) {
    this.tokens = new PbxTokenizer(text, lines);
  }

  run(): PbxValue {
    for (;;) {
      const token = this.tokens.next();
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        if (this.root !== undefined) return this.end(token);
        if (token.kind === 'eof') throw new PbxSyntaxError('empty file', token.start);
        this.startValue(token, () => 'a value');
      } else if (token.kind === 'eof') {
        const bracket = frame.kind === 'dict' ? '{' : '(';
        throw new PbxSyntaxError(`unclosed "${bracket}" opened on line ${this.lineOf(frame.start)}`, token.start);
      } else if (frame.kind === 'dict') this.inDict(frame, token);
      else this.inArray(frame, token);
    }
  }

  private end(token: Token): PbxValue {
    if (token.kind !== 'eof') throw new PbxSyntaxError(`unexpected ${describe(token)} after the end of the file's value`, token.start);
    return this.root as PbxValue;
  }

  private inDict(frame: Extract<Frame, { kind: 'dict' }>, token: Token): void {
    switch (frame.state) {
      case 'key':
        if (isPunct(token, '}')) this.close();
        else if (token.kind === 'string') {
          frame.key = token.text;
          frame.state = 'equals';
        } else throw new PbxSyntaxError(`expected a key or "}" in the dictionary opened on line ${this.lineOf(frame.start)}, found ${describe(token)}`, token.start);
        return;
      case 'equals':
        if (!isPunct(token, '=')) throw new PbxSyntaxError(`expected "=" after key "${frame.key}", found ${describe(token)}`, token.start);
        frame.state = 'value';
        return;
      case 'value':
        this.startValue(token, () => `a value for key "${frame.key}"`);
        return;
      case 'semicolon':
        if (!isPunct(token, ';')) {
          throw new PbxSyntaxError(`expected ";" after the value of key "${frame.key}", found ${describe(token)}`, token.start);
        }
        frame.state = 'key';
    }
  }

  private inArray(frame: Extract<Frame, { kind: 'array' }>, token: Token): void {
    if (isPunct(token, ')')) {
      this.close();
      return;
    }
    if (frame.state === 'item') {
      this.startValue(token, () => 'an array item');
      return;
    }
    if (!isPunct(token, ',')) {
      const opened = `the array opened on line ${this.lineOf(frame.start)}`;
      throw new PbxSyntaxError(`expected "," or ")" in ${opened}, found ${describe(token)}`, token.start);
    }
    frame.state = 'item';
  }

  /** `what`: how an error names the value expected (made only for an error). */
  private startValue(token: Token, what: () => string): void {
    if (token.kind === 'string') this.deliver(token.text);
    else if (isPunct(token, '{')) this.stack.push({ kind: 'dict', value: {}, start: token.start, state: 'key', key: '' });
    else if (isPunct(token, '(')) this.stack.push({ kind: 'array', value: [], start: token.start, state: 'item' });
    else throw new PbxSyntaxError(`expected ${what()}, found ${describe(token)}`, token.start);
  }

  private close(): void {
    const frame = this.stack.pop() as Frame;
    this.deliver(frame.value);
  }

  private deliver(value: PbxValue): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) this.root = value;
    else if (parent.kind === 'array') {
      parent.value.push(value);
      parent.state = 'comma';
    } else {
      if (parent.key === '__proto__') Object.defineProperty(parent.value, parent.key, { value, enumerable: true, writable: true });
      else parent.value[parent.key] = value;
      parent.state = 'semicolon';
    }
  }

  private lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }
}

function isPunct(token: Token, text: Punct): boolean {
  return token.kind === 'punct' && token.text === text;
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the file';
  if (token.kind === 'punct') return `"${token.text}"`;
  return `"${token.text.length > 30 ? `${token.text.slice(0, 27)}...` : token.text}"`;
}
