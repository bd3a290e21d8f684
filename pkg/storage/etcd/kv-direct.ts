/**
 * The write transactions the apiserver issues (create-if-absent, compare-and-swap, guarded
 * delete) as plain gRPC unary calls over node:http2, one HTTP/2 session per etcd endpoint.
 *
 * Why not etcd3/grpc-js: on a stream of writes their per-call machinery (retry and circuit-breaker
 * policies, interceptors, resolving and load-balancing call layers, deadline and credential
 * plumbing, object-to-protobuf conversion with Long/String revisions) cost more CPU than the
 * HTTP/2 stream itself. These three requests are tiny and fixed in shape, so they are encoded and
 * decoded by hand here. Anything that is not a clean answer is left to the caller's etcd3 path:
 * transport failures and recoverable gRPC statuses come back as `retry`, so behaviour on errors
 * stays etcd3's (its failover and typed errors).
 */
import http2 from 'node:http2';
import { castGrpcError, isRecoverableError } from 'etcd3';

/** A Txn's outcome, shaped like the fields of etcd3's ITxnResponse that the store reads. */
export interface DirectTxnResponse {
  header: { revision: string };
  succeeded: boolean;
  responses: { response_range?: { kvs: unknown[] } }[];
}

export type DirectCompare = { target: 'Create'; createRevision: number } | { target: 'Mod'; modRevision: number };

export type DirectOp = { put: { key: Buffer; value: Buffer } } | { deleteKey: Buffer } | { rangeKey: Buffer };

export interface DirectTxn {
  key: Buffer;
  compare: DirectCompare;
  success: DirectOp[];
  failure: DirectOp[];
}

/**
 * What a direct call tells its caller: an answer, an etcd3-typed error, or "use the etcd3 path"
 * (`transport`: the endpoint itself failed, rather than one recoverable gRPC status).
 */
export type DirectResult = { ok: DirectTxnResponse } | { error: Error } | { retry: true; transport: boolean };

// --- protobuf wire format (only what these messages need) ---

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) { n = Math.floor(n / 0x80); size++; }
  return size;
}

/** Protobuf writer over one buffer sized up front. */
class Writer {
  readonly buf: Buffer;
  pos: number;
  constructor(size: number, offset = 0) {
    this.buf = Buffer.allocUnsafe(size + offset);
    this.pos = offset;
  }
  varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }
  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  bytes(field: number, b: Buffer): void {
    this.tag(field, 2);
    this.varint(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
}

const lenField = (field: number, len: number): number => varintSize(field * 8 + 2) + varintSize(len) + len;

function compareSize(key: Buffer, c: DirectCompare): number {
  const target = c.target === 'Create' ? 1 : 2;
  const rev = c.target === 'Create' ? c.createRevision : c.modRevision;
  // result (Equal = 0) is the default and left out; the oneof revision is always written.
  return varintSize(target) + 1 + lenField(3, key.length) + 1 + varintSize(rev);
}

function writeCompare(w: Writer, key: Buffer, c: DirectCompare): void {
  w.tag(2, 0);
  w.varint(c.target === 'Create' ? 1 : 2);
  w.bytes(3, key);
  if (c.target === 'Create') { w.tag(5, 0); w.varint(c.createRevision); } else { w.tag(6, 0); w.varint(c.modRevision); }
}

/** Size of the RequestOp's inner message and the RequestOp field number it goes in. */
function opInner(op: DirectOp): { field: number; size: number } {
  if ('put' in op) return { field: 2, size: lenField(1, op.put.key.length) + lenField(2, op.put.value.length) };
  if ('deleteKey' in op) return { field: 3, size: lenField(1, op.deleteKey.length) };
  return { field: 1, size: lenField(1, op.rangeKey.length) };
}

function opSize(op: DirectOp): number {
  const inner = opInner(op);
  return lenField(inner.field, inner.size);
}

function writeOp(w: Writer, op: DirectOp): void {
  const inner = opInner(op);
  w.tag(inner.field, 2);
  w.varint(inner.size);
  if ('put' in op) { w.bytes(1, op.put.key); w.bytes(2, op.put.value); } else if ('deleteKey' in op) w.bytes(1, op.deleteKey);
  else w.bytes(1, op.rangeKey);
}

/** The gRPC frame (5-byte prefix: uncompressed, big-endian length) of a TxnRequest. */
export function encodeTxnFrame(t: DirectTxn): Buffer {
  const cmp = compareSize(t.key, t.compare);
  let size = lenField(1, cmp);
  for (const op of t.success) size += lenField(2, opSize(op));
  for (const op of t.failure) size += lenField(3, opSize(op));
  const w = new Writer(size, 5);
  w.buf[0] = 0;
  w.buf.writeUInt32BE(size, 1);
  w.tag(1, 2);
  w.varint(cmp);
  writeCompare(w, t.key, t.compare);
  for (const [field, ops] of [[2, t.success], [3, t.failure]] as const) {
    for (const op of ops) {
      w.tag(field, 2);
      w.varint(opSize(op));
      writeOp(w, op);
    }
  }
  if (w.pos !== w.buf.length) throw new Error(`kv-direct: encoded ${w.pos} bytes, sized ${w.buf.length}`);
  return w.buf;
}

/** Protobuf reader; throws on malformed input (the caller then falls back to etcd3). */
class Reader {
  pos: number;
  constructor(readonly buf: Buffer, readonly end: number, start = 0) {
    this.pos = start;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('kv-direct: truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 63) throw new Error('kv-direct: varint too long');
    }
  }
  /** Skips a field of the given wire type. */
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) { const len = this.varint(); this.pos += len; } else if (wire === 5) this.pos += 4;
    else throw new Error(`kv-direct: unexpected wire type ${wire}`);
    if (this.pos > this.end) throw new Error('kv-direct: truncated field');
  }
  /** [start, end) of a length-delimited field's payload, advancing past it. */
  sub(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('kv-direct: truncated message');
    return [start, this.pos];
  }
}

function countKvs(buf: Buffer, start: number, end: number): number {
  const r = new Reader(buf, end, start);
  let n = 0;
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === (2 << 3 | 2)) { r.sub(); n++; } else r.skip(tag & 7);
  }
  return n;
}

function decodeResponseOp(buf: Buffer, start: number, end: number): DirectTxnResponse['responses'][number] {
  const r = new Reader(buf, end, start);
  const out: DirectTxnResponse['responses'][number] = {};
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === (1 << 3 | 2)) {
      const [s, e] = r.sub();
      out.response_range = { kvs: new Array<unknown>(countKvs(buf, s, e)).fill(null) };
    } else r.skip(tag & 7);
  }
  return out;
}

/** Decodes a TxnResponse message: the header's revision, succeeded, and range results' sizes. */
export function decodeTxnResponse(buf: Buffer): DirectTxnResponse {
  const r = new Reader(buf, buf.length);
  let revision = 0;
  let succeeded = false;
  const responses: DirectTxnResponse['responses'] = [];
  while (r.pos < buf.length) {
    const tag = r.varint();
    if (tag === (1 << 3 | 2)) {
      const [s, e] = r.sub();
      const h = new Reader(buf, e, s);
      while (h.pos < e) {
        const t = h.varint();
        if (t === (3 << 3 | 0)) revision = h.varint(); else h.skip(t & 7);
      }
    } else if (tag === (2 << 3 | 0)) {
      succeeded = r.varint() !== 0;
    } else if (tag === (3 << 3 | 2)) {
      const [s, e] = r.sub();
      responses.push(decodeResponseOp(buf, s, e));
    } else r.skip(tag & 7);
  }
  return { header: { revision: String(revision) }, succeeded, responses };
}

// --- gRPC over HTTP/2 ---

const statusNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** A gRPC status as etcd3 would have typed it (grpc-js's message format, then castGrpcError). */
function statusError(code: number, details: string): Error {
  const err = Object.assign(new Error(`${code} ${statusNames[code] ?? 'UNKNOWN'}: ${details}`), { code, details });
  return castGrpcError(err);
}

function decodeGrpcMessage(v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const txnHeaders = {
  ':method': 'POST',
  ':path': '/etcdserverpb.KV/Txn',
  'content-type': 'application/grpc',
  te: 'trailers',
};

/** Plain-text gRPC to one etcd endpoint over a lazily opened, shared HTTP/2 session. */
export class DirectEndpoint {
  private session?: http2.ClientHttp2Session;
  private closed = false;
  /** Until when (ms) this endpoint is left to etcd3 after a transport failure. */
  skipUntil = 0;

  constructor(readonly authority: string) {}

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.authority);
    const drop = (): void => { if (this.session === session) this.session = undefined; };
    session.on('error', drop);
    session.on('goaway', drop);
    session.on('close', drop);
    this.session = session;
    return session;
  }

  /** One Txn; never rejects. */
  txn(frame: Buffer): Promise<DirectResult> {
    if (this.closed) return Promise.resolve({ retry: true, transport: true });
    return new Promise((resolve) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.connect().request(txnHeaders);
      } catch {
        resolve({ retry: true, transport: true });
        return;
      }
      const chunks: Buffer[] = [];
      let status: number | undefined;
      let message = '';
      let httpStatus = 0;
      const takeStatus = (headers: http2.IncomingHttpHeaders): void => {
        const s = headers['grpc-status'];
        if (s !== undefined) {
          status = Number(s);
          message = decodeGrpcMessage(headers['grpc-message']);
        }
      };
      stream.on('response', (headers) => {
        httpStatus = Number(headers[':status']);
        takeStatus(headers);
      });
      stream.on('trailers', takeStatus);
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => { /* reported through close without a status */ });
      stream.on('close', () => {
        if (httpStatus !== 200 || status === undefined || !Number.isInteger(status)) {
          resolve({ retry: true, transport: true });
          return;
        }
        if (status !== 0) {
          // etcd3 retries the statuses it deems recoverable; it gets to do that here too.
          const err = statusError(status, message);
          resolve(isRecoverableError(err) ? { retry: true, transport: false } : { error: err });
          return;
        }
        try {
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          if (body.length < 5 || body[0] !== 0) throw new Error('kv-direct: unexpected frame');
          const len = body.readUInt32BE(1);
          if (body.length !== 5 + len) throw new Error('kv-direct: frame length mismatch');
          resolve({ ok: decodeTxnResponse(body.subarray(5)) });
        } catch {
          resolve({ retry: true, transport: true });
        }
      });
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }
}
