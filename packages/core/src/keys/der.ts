/**
 * The little DER that sealing needs: walk a certificate to its public key and
 * wrap/unwrap RSA keys between PKCS#1 and PKCS#8/SPKI. Kept dependency-free so
 * that sealing never loads an X.509 library (start-up time, browser bundle).
 */
import { concatBytes } from '../platform/bytes.js';
import { SealkitError } from '../platform/errors.js';

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
} as const;

export interface Tlv {
  tag: number;
  /** The content octets. */
  value: Uint8Array;
  /** The whole element (tag, length and content) as it stands in the buffer it was read from. */
  raw: Uint8Array;
  /** Offset just past this element in that buffer. */
  end: number;
}

function malformed(what: string): SealkitError {
  return new SealkitError('bad-input', `The ${what} is not valid DER.`);
}

/** Reads one element at `offset`; definite lengths only, as DER requires. */
export function readTlv(buf: Uint8Array, offset: number, what: string): Tlv {
  if (offset + 2 > buf.length) throw malformed(what);
  const tag = buf[offset]!;
  let length = buf[offset + 1]!;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || pos + count > buf.length) throw malformed(what);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos++]!;
  }
  if (pos + length > buf.length) throw malformed(what);
  return { tag, value: buf.subarray(pos, pos + length), raw: buf.subarray(offset, pos + length), end: pos + length };
}

/** The children of a constructed element. */
export function readChildren(parent: Uint8Array, what: string): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = 0; offset < parent.length;) {
    const child = readTlv(parent, offset, what);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Reads a whole buffer that must be exactly one element with the given tag. */
export function expectTlv(buf: Uint8Array, tag: number, what: string): Tlv {
  const tlv = readTlv(buf, 0, what);
  if (tlv.tag !== tag || tlv.end !== buf.length) throw malformed(what);
  return tlv;
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else {
    const lengthBytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest & 0xff);
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  }
  return concatBytes(Uint8Array.from(header), value);
}

export const sequence = (...items: Uint8Array[]): Uint8Array => encodeTlv(TAG.SEQUENCE, concatBytes(...items));

/** Dotted OID text from its content octets. */
export function decodeOid(value: Uint8Array): string {
  const parts: number[] = [];
  let acc = 0;
  for (const byte of value) {
    acc = acc * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(acc < 80 ? Math.floor(acc / 40) : 2, acc < 80 ? acc % 40 : acc - 80);
      else parts.push(acc);
      acc = 0;
    }
  }
  return parts.join('.');
}

/** Content octets of an OBJECT IDENTIFIER from its dotted text (arcs below 2^53). */
export function encodeOid(text: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = text.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128 = [arc % 128];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) base128.unshift(0x80 | (n % 128));
    out.push(...base128);
  }
  return Uint8Array.from(out);
}

/** Unsigned big-endian magnitude of a DER INTEGER (leading sign zeros dropped). */
export function unsignedInteger(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  return value.subarray(start);
}

/** Parses `YYMMDDHHMMSSZ` (UTCTime) or `YYYYMMDDHHMMSSZ` (GeneralizedTime). */
export function decodeTime(tlv: Tlv, what: string): Date {
  const text = String.fromCharCode(...tlv.value);
  const match =
    tlv.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tlv.tag === TAG.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw malformed(what);
  let year = Number(match[1]);
  if (tlv.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900; // RFC 5280 4.1.2.5.1
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
