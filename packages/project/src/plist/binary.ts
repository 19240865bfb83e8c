import { makeUid, setEntry } from './dict';
import type { PlistValue } from './types';

/** Thrown for a malformed binary plist. */
export class BinaryPlistError extends Error {}

const MAGIC = 'bplist00';
/** Seconds between 1970-01-01 and 2001-01-01, the binary plist epoch. */
const APPLE_EPOCH_MS = 978307200000;

export function isBinaryPlist(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'bplist';
}

interface Trailer {
  offsetSize: number;
  refSize: number;
  count: number;
  top: number;
  tableOffset: number;
}

/** Decodes a bplist00 file. Iterative: containers are built children-first from an explicit stack. */
export function parseBinaryPlist(bytes: Uint8Array): PlistValue {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = buf.subarray(0, 8).toString('latin1');
  if (version !== MAGIC) throw new BinaryPlistError(`unsupported binary plist version "${version}"`);
  return new BinaryDecoder(buf).decode();
}

type Shallow =
  | { kind: 'scalar'; value: PlistValue }
  | { kind: 'array'; refs: number[] }
  | { kind: 'dict'; keyRefs: number[]; valueRefs: number[] };

class BinaryDecoder {
  private readonly trailer: Trailer;
  private readonly done = new Map<number, PlistValue>();

  constructor(private readonly buf: Buffer) {
    this.trailer = this.readTrailer();
  }

  decode(): PlistValue {
    const state = new Map<number, 'open'>();
    const stack: number[] = [this.trailer.top];
    while (stack.length > 0) {
      const ref = stack[stack.length - 1];
      if (this.done.has(ref)) {
        stack.pop();
        continue;
      }
      const shallow = this.readObject(ref);
      const children = childRefs(shallow).filter((child) => !this.done.has(child));
      if (children.length === 0) {
        this.done.set(ref, this.build(shallow));
        state.delete(ref);
        stack.pop();
        continue;
      }
      if (state.get(ref) === 'open') throw new BinaryPlistError(`object ${ref} contains itself`);
      state.set(ref, 'open');
      for (const child of children) {
        if (state.get(child) === 'open') throw new BinaryPlistError(`object ${child} contains itself`);
        stack.push(child);
      }
    }
    return this.done.get(this.trailer.top) as PlistValue;
  }

  private build(shallow: Shallow): PlistValue {
    if (shallow.kind === 'scalar') return shallow.value;
    if (shallow.kind === 'array') return shallow.refs.map((ref) => this.done.get(ref) as PlistValue);
    const dict = {};
    shallow.keyRefs.forEach((keyRef, i) => {
      const key = this.done.get(keyRef);
      if (typeof key !== 'string') throw new BinaryPlistError(`dict key (object ${keyRef}) is not a string`);
      setEntry(dict, key, this.done.get(shallow.valueRefs[i]) as PlistValue);
    });
    return dict;
  }

  private readTrailer(): Trailer {
    const buf = this.buf;
    if (buf.length < 8 + 32) throw new BinaryPlistError('binary plist is too short');
    const at = buf.length - 32;
    const trailer: Trailer = {
      offsetSize: buf[at + 6],
      refSize: buf[at + 7],
      count: this.readSize(at + 8),
      top: this.readSize(at + 16),
      tableOffset: this.readSize(at + 24),
    };
    const tableEnd = trailer.tableOffset + trailer.count * trailer.offsetSize;
    const validSizes = [1, 2, 4, 8].includes(trailer.offsetSize) && [1, 2, 4, 8].includes(trailer.refSize);
    if (!validSizes || trailer.top >= trailer.count || tableEnd > at || trailer.tableOffset < 8) {
      throw new BinaryPlistError('corrupt binary plist trailer');
    }
    return trailer;
  }

  private readSize(at: number): number {
    const value = this.buf.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new BinaryPlistError('corrupt binary plist trailer');
    return Number(value);
  }

  private readUInt(at: number, size: number): number {
    this.need(at, size);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.buf[at + i];
    return value;
  }

  private need(at: number, size: number): void {
    if (at < 0 || at + size > this.buf.length) throw new BinaryPlistError('truncated binary plist');
  }

  private objectOffset(ref: number): number {
    if (ref >= this.trailer.count) throw new BinaryPlistError(`object reference ${ref} is out of range`);
    const { tableOffset, offsetSize } = this.trailer;
    return this.readUInt(tableOffset + ref * offsetSize, offsetSize);
  }

  private readObject(ref: number): Shallow {
    const at = this.objectOffset(ref);
    this.need(at, 1);
    const marker = this.buf[at];
    const type = marker >> 4;
    const info = marker & 0x0f;
    switch (type) {
      case 0x0:
        return { kind: 'scalar', value: this.readSimple(info) };
      case 0x1:
        return { kind: 'scalar', value: this.readInt(at + 1, 1 << info) };
      case 0x2:
        return { kind: 'scalar', value: this.readReal(at + 1, 1 << info) };
      case 0x3:
        return { kind: 'scalar', value: new Date(APPLE_EPOCH_MS + this.readReal(at + 1, 8) * 1000) };
      case 0x8:
        return { kind: 'scalar', value: makeUid(this.readUInt(at + 1, info + 1)) };
      default:
        return this.readSized(type, info, at);
    }
  }

  private readSized(type: number, info: number, at: number): Shallow {
    const { length, start } = this.readLength(info, at);
    switch (type) {
      case 0x4:
        this.need(start, length);
        return { kind: 'scalar', value: Uint8Array.from(this.buf.subarray(start, start + length)) };
      case 0x5:
        this.need(start, length);
        return { kind: 'scalar', value: this.buf.subarray(start, start + length).toString('latin1') };
      case 0x6:
        return { kind: 'scalar', value: this.readUtf16(start, length) };
      case 0xa:
      case 0xc:
        return { kind: 'array', refs: this.readRefs(start, length) };
      case 0xd:
        return {
          kind: 'dict',
          keyRefs: this.readRefs(start, length),
          valueRefs: this.readRefs(start + length * this.trailer.refSize, length),
        };
      default:
        throw new BinaryPlistError(`unknown object type 0x${type.toString(16)} at byte ${at}`);
    }
  }

  private readSimple(info: number): PlistValue {
    if (info === 0x8) return false;
    if (info === 0x9) return true;
    throw new BinaryPlistError(`unsupported simple object 0x0${info.toString(16)}`);
  }

  private readLength(info: number, at: number): { length: number; start: number } {
    if (info !== 0x0f) return { length: info, start: at + 1 };
    this.need(at + 1, 1);
    const marker = this.buf[at + 1];
    if (marker >> 4 !== 0x1) throw new BinaryPlistError(`bad length marker at byte ${at + 1}`);
    const size = 1 << (marker & 0x0f);
    const length = this.readInt(at + 2, size);
    if (length < 0 || length > this.buf.length) throw new BinaryPlistError(`bad length at byte ${at + 1}`);
    return { length, start: at + 2 + size };
  }

  private readInt(at: number, size: number): number {
    this.need(at, size);
    if (size === 8) return Number(this.buf.readBigInt64BE(at));
    if (size === 16) return Number(this.buf.readBigInt64BE(at + 8));
    if (size > 8) throw new BinaryPlistError(`unsupported integer size ${size}`);
    return this.readUInt(at, size);
  }

  private readReal(at: number, size: number): number {
    this.need(at, size);
    if (size === 4) return this.buf.readFloatBE(at);
    if (size === 8) return this.buf.readDoubleBE(at);
    throw new BinaryPlistError(`unsupported real size ${size}`);
  }

  private readUtf16(start: number, length: number): string {
    this.need(start, length * 2);
    const swapped = Buffer.from(this.buf.subarray(start, start + length * 2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }

  private readRefs(start: number, count: number): number[] {
    const size = this.trailer.refSize;
    this.need(start, count * size);
    const refs: number[] = [];
    for (let i = 0; i < count; i++) refs.push(this.readUInt(start + i * size, size));
    return refs;
  }
}

function childRefs(shallow: Shallow): number[] {
  if (shallow.kind === 'array') return shallow.refs;
  if (shallow.kind === 'dict') return [...shallow.keyRefs, ...shallow.valueRefs];
  return [];
}
