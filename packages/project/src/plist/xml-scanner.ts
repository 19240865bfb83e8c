/** A minimal XML tokenizer, enough for property lists. Comments, PIs and DOCTYPE are skipped. */

export type XmlToken =
  | { kind: 'open'; name: string; selfClosing: boolean; start: number; end: number }
  | { kind: 'close'; name: string; start: number; end: number }
  | { kind: 'text'; text: string; raw: boolean; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;

export class XmlScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  next(): XmlToken {
    for (;;) {
      const start = this.pos;
      if (start >= this.text.length) return { kind: 'eof', start, end: start };
      if (this.text.charCodeAt(start) !== 60 /* < */) return this.readText(start);
      if (this.text.startsWith('<!--', start)) this.skipPast('-->', start, 'comment');
      else if (this.text.startsWith('<![CDATA[', start)) return this.readCdata(start);
      else if (this.text.startsWith('<!', start)) this.skipDoctype(start);
      else if (this.text.startsWith('<?', start)) this.skipPast('?>', start, 'processing instruction');
      else if (this.text.startsWith('</', start)) return this.readClose(start);
      else return this.readOpen(start);
    }
  }

  private readText(start: number): XmlToken {
    let end = this.text.indexOf('<', start);
    if (end < 0) end = this.text.length;
    this.pos = end;
    return { kind: 'text', text: this.text.slice(start, end), raw: false, start, end };
  }

  private readCdata(start: number): XmlToken {
    const close = this.text.indexOf(']]>', start + 9);
    if (close < 0) throw new XmlSyntaxError('unterminated <![CDATA[ section', start);
    this.pos = close + 3;
    return { kind: 'text', text: this.text.slice(start + 9, close), raw: true, start, end: this.pos };
  }

  private skipPast(terminator: string, start: number, what: string): void {
    const close = this.text.indexOf(terminator, start + 2);
    if (close < 0) throw new XmlSyntaxError(`unterminated ${what}`, start);
    this.pos = close + terminator.length;
  }

  private skipDoctype(start: number): void {
    let depth = 0;
    let quote = 0;
    for (let i = start + 2; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91 /* [ */) depth++;
      else if (c === 93 /* ] */) depth--;
      else if (c === 62 /* > */ && depth <= 0) {
        this.pos = i + 1;
        return;
      }
    }
    throw new XmlSyntaxError('unterminated <!DOCTYPE> declaration', start);
  }

  private readName(at: number): string {
    NAME.lastIndex = at;
    const match = NAME.exec(this.text);
    if (!match) throw new XmlSyntaxError('expected an element name after "<"', at);
    return match[0];
  }

  private readClose(start: number): XmlToken {
    const name = this.readName(start + 2);
    const close = this.text.indexOf('>', start);
    const between = close < 0 ? '' : this.text.slice(start + 2 + name.length, close);
    if (close < 0 || between.trim() !== '') {
      throw new XmlSyntaxError(`malformed closing tag </${name}>`, start);
    }
    this.pos = close + 1;
    return { kind: 'close', name, start, end: this.pos };
  }

  private readOpen(start: number): XmlToken {
    const name = this.readName(start + 1);
    let quote = 0;
    for (let i = start + 1 + name.length; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 60 /* < */) break;
      else if (c === 62 /* > */) {
        this.pos = i + 1;
        const selfClosing = this.text.charCodeAt(i - 1) === 47; /* / */
        return { kind: 'open', name, selfClosing, start, end: this.pos };
      }
    }
    throw new XmlSyntaxError(`unterminated <${name}> tag`, start);
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Replaces XML entity and character references; throws on an unknown one. */
export function decodeEntities(text: string, offset: number): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&([^;&\s]*);?/g, (whole: string, name: string, at: number) => {
    const decoded = decodeEntity(name, whole);
    if (decoded === undefined) throw new XmlSyntaxError(`unknown entity "${whole}"`, offset + at);
    return decoded;
  });
}

function decodeEntity(name: string, whole: string): string | undefined {
  if (!whole.endsWith(';')) return undefined;
  if (Object.hasOwn(ENTITIES, name)) return ENTITIES[name];
  const code = /^#x[0-9a-f]+$/i.test(name)
    ? parseInt(name.slice(2), 16)
    : /^#[0-9]+$/.test(name)
      ? parseInt(name.slice(1), 10)
      : NaN;
  if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
  return String.fromCodePoint(code);
}
