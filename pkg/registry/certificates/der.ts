/**
 * Just enough DER to read PKCS#10 requests and X.509 certificates and to write certificates.
 * Reading keeps byte offsets, so signed parts (certificationRequestInfo, tbsCertificate) are
 * verified over their original bytes, never a re-encoding.
 */

export interface DerNode {
  /** The full identifier octet (class, constructed bit and tag number for tags below 31). */
  tag: number;
  /** Offsets into the buffer that was read: the whole element, and its contents. */
  start: number;
  contentStart: number;
  end: number;
  bytes: Buffer;
}

export class DerError extends Error {}

/** Reads the element at `offset` of `buf`. */
export function readNode(buf: Buffer, offset = 0): DerNode {
  if (offset + 2 > buf.length) throw new DerError('asn1: syntax error: data truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('asn1: syntax error: high-tag-number form is not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new DerError('asn1: syntax error: invalid length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  if (pos + len > buf.length) throw new DerError('asn1: syntax error: data truncated');
  return { tag, start: offset, contentStart: pos, end: pos + len, bytes: buf };
}

/** The children of a constructed element (SEQUENCE, SET, context-specific constructed). */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let pos = node.contentStart; pos < node.end;) {
    const child = readNode(node.bytes.subarray(0, node.end), pos);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function raw(node: DerNode): Buffer {
  return node.bytes.subarray(node.start, node.end);
}

export function content(node: DerNode): Buffer {
  return node.bytes.subarray(node.contentStart, node.end);
}

export function decodeOid(node: DerNode): string {
  const b = content(node);
  if (b.length === 0) throw new DerError('asn1: syntax error: zero length OBJECT IDENTIFIER');
  const parts: number[] = [];
  let value = 0;
  for (const byte of b) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** String value of a PrintableString, UTF8String, IA5String, T61String or BMPString. */
export function decodeString(node: DerNode): string {
  const b = content(node);
  if (node.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
    return s;
  }
  return node.tag === 0x0c ? b.toString('utf8') : b.toString('latin1');
}

// --- writing ---

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const values = [parts[0]! * 40 + parts[1]!, ...parts.slice(2)];
  const bytes: number[] = [];
  for (const v of values) {
    const chunk: number[] = [v & 0x7f];
    for (let n = Math.floor(v / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A non-negative INTEGER from big-endian magnitude bytes. */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let b = magnitude;
  while (b.length > 1 && b[0] === 0 && !(b[1]! & 0x80)) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Buffer.from([n]));
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const octetString = (b: Buffer): Buffer => tlv(0x04, b);
export const bitString = (b: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), b);
export const booleanTrue = (): Buffer => Buffer.from([0x01, 0x01, 0xff]);

/** UTCTime before 2050, GeneralizedTime after, as RFC 5280 requires; whole seconds, Zulu. */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = d.getUTCFullYear();
  return year < 2050 && year >= 1950 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}
