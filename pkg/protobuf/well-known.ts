/**
 * Types whose Go JSON form is not their proto shape: they implement json.Marshaler in Go
 * (metav1.Time, resource.Quantity, intstr.IntOrString, runtime.RawExtension…). Each entry maps
 * the decoded message to its JSON value and back. `null` is what Go prints for their zero values.
 */
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

export type WireMessage = Record<string, unknown>;

/** Hooks for values that embed a whole object (RawExtension may hold `k8s\0…` protobuf). */
export interface EmbeddedCodec {
  decodeEmbedded(raw: Uint8Array): unknown;
}

export interface WellKnownType {
  toJson(message: WireMessage, codec: EmbeddedCodec): unknown;
  /** Undefined when the JSON value means "unset" (null). Throws Error on a value of the wrong shape. */
  fromJson(value: unknown): WireMessage | undefined;
  /** What Go writes for the zero value of a non-pointer field of this type. */
  zero(): WireMessage;
}

export const protobufMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** int64 fields decode as Long (or number); JSON wants a number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value && typeof value === 'object' && 'toNumber' in value && typeof value.toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (value && typeof value === 'object') return BigInt(String(value));
  return 0n;
}

function rfc3339Seconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function parseTime(value: unknown, what: string): WireMessage | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const m = typeof value === 'string' ? rfc3339.exec(value) : null;
  if (!m) throw new Error(`${what}: expected an RFC3339 time, got ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s, frac = '', , offSign, offH = '0', offM = '0'] = m;
  let seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (offSign) seconds -= (offSign === '-' ? -1 : 1) * (Number(offH) * 3600 + Number(offM) * 60);
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

function isZeroTime(message: WireMessage): boolean {
  return toNumber(message.seconds) === 0 && toNumber(message.nanos) === 0;
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function parseRawJson(raw: Uint8Array, codec: EmbeddedCodec, what: string): unknown {
  if (raw.length === 0) return null;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (bytes.subarray(0, 4).equals(protobufMagic)) return codec.decodeEmbedded(bytes);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what}: embedded bytes are neither JSON nor Kubernetes protobuf`);
  }
}

const metaV1 = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const time: WellKnownType = {
  toJson: (m) => (isZeroTime(m) ? null : rfc3339Seconds(toNumber(m.seconds))),
  fromJson: (v) => parseTime(v, 'Time'),
  zero: () => ({}), // Go's Time.Marshal writes nothing for the zero time
};

const microTime: WellKnownType = {
  toJson: (m) => {
    if (isZeroTime(m)) return null;
    const micros = String(Math.floor(toNumber(m.nanos) / 1000)).padStart(6, '0');
    return rfc3339Seconds(toNumber(m.seconds)).replace(/Z$/, `.${micros}Z`);
  },
  fromJson: (v) => parseTime(v, 'MicroTime'),
  zero: () => ({}),
};

const duration: WellKnownType = {
  toJson: (m) => formatGoDuration(toBigInt(m.duration ?? 0)),
  fromJson: (v) => {
    if (v === null || v === undefined) return undefined;
    const nanos = typeof v === 'string' ? parseGoDuration(v) : undefined;
    if (nanos === undefined) throw new Error(`Duration: expected a duration like "1h0m0s", got ${JSON.stringify(v)}`);
    return { duration: nanos.toString() };
  },
  zero: () => ({ duration: 0 }),
};

const quantity: WellKnownType = {
  // Go prints a zero Quantity as "0".
  toJson: (m) => (typeof m.string === 'string' && m.string !== '' ? m.string : '0'),
  fromJson: (v) => {
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number' || typeof v === 'string') return { string: String(v) };
    throw new Error(`Quantity: expected a string or number, got ${JSON.stringify(v)}`);
  },
  zero: () => ({ string: '0' }),
};

const intOrString: WellKnownType = {
  toJson: (m) => (toNumber(m.type) === 1 ? (typeof m.strVal === 'string' ? m.strVal : '') : toNumber(m.intVal)),
  fromJson: (v) => {
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return { type: 0, intVal: v, strVal: '' };
    if (typeof v === 'string') return { type: 1, intVal: 0, strVal: v };
    throw new Error(`IntOrString: expected an integer or string, got ${JSON.stringify(v)}`);
  },
  zero: () => ({ type: 0, intVal: 0, strVal: '' }),
};

const rawExtension: WellKnownType = {
  toJson: (m, codec) => (m.raw instanceof Uint8Array ? parseRawJson(m.raw, codec, 'RawExtension') : null),
  fromJson: (v) => (v === null || v === undefined ? undefined : { raw: jsonBytes(v) }),
  zero: () => ({}),
};

const fieldsV1: WellKnownType = {
  toJson: (m, codec) => (m.Raw instanceof Uint8Array ? parseRawJson(m.Raw, codec, 'FieldsV1') : null),
  fromJson: (v) => (v === null || v === undefined ? undefined : { Raw: jsonBytes(v) }),
  zero: () => ({}),
};

export const wellKnownTypes: ReadonlyMap<string, WellKnownType> = new Map([
  [`.${metaV1}.Time`, time],
  [`.${metaV1}.MicroTime`, microTime],
  [`.${metaV1}.Duration`, duration],
  [`.${metaV1}.FieldsV1`, fieldsV1],
  ['.k8s.io.apimachinery.pkg.api.resource.Quantity', quantity],
  ['.k8s.io.apimachinery.pkg.api.resource.QuantityValue', quantity],
  ['.k8s.io.apimachinery.pkg.util.intstr.IntOrString', intOrString],
  ['.k8s.io.apimachinery.pkg.runtime.RawExtension', rawExtension],
]);
