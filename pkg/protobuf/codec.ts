/**
 * The Kubernetes protobuf wire format: the 4-byte magic `k8s\0`, then a runtime.Unknown
 * envelope { typeMeta {apiVersion, kind}, raw, contentEncoding, contentType } whose `raw` holds
 * the object's own message (apimachinery/pkg/runtime/serializer/protobuf).
 */
import { StatusError, badRequest, internalError } from '../apierrors/index.ts';
import { messageFromJson } from './from-json.ts';
import { lookupType, typeForKind, unknownTypeName } from './schema.ts';
import { messageToJson } from './to-json.ts';
import { type EmbeddedCodec, type WireMessage, protobufMagic } from './well-known.ts';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

export interface DecodedKubeObject {
  apiVersion: string;
  kind: string;
  /** The object as Kubernetes JSON, apiVersion and kind included. */
  object: Record<string, unknown>;
}

/** True for `application/vnd.kubernetes.protobuf`, with or without parameters. */
export function isProtobufContentType(contentType: string): boolean {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase() === protobufContentType;
}

const embedded: EmbeddedCodec = { decodeEmbedded: (raw) => decodeKubeProtobuf(Buffer.from(raw)).object };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes a request body; malformed input and unknown kinds throw a 400 BadRequest StatusError. */
export function decodeKubeProtobuf(body: Uint8Array): DecodedKubeObject {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.length < protobufMagic.length || !bytes.subarray(0, protobufMagic.length).equals(protobufMagic)) {
    throw badRequest('provided protobuf data does not start with the Kubernetes prefix "k8s\\x00"');
  }
  let envelope: WireMessage;
  try {
    envelope = lookupType(unknownTypeName).decode(bytes.subarray(protobufMagic.length)) as unknown as WireMessage;
  } catch (err) {
    throw badRequest(`unable to decode the protobuf envelope (runtime.Unknown): ${errorText(err)}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as WireMessage;
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  const raw = envelope.raw instanceof Uint8Array ? envelope.raw : new Uint8Array();
  if (!kind) throw badRequest("Object 'Kind' is missing in the protobuf envelope");
  if (!apiVersion) throw badRequest("Object 'apiVersion' is missing in the protobuf envelope");
  if (typeof envelope.contentEncoding === 'string' && envelope.contentEncoding !== '') {
    throw badRequest(`unsupported content encoding "${envelope.contentEncoding}" in the protobuf envelope`);
  }
  const innerType = typeof envelope.contentType === 'string' ? envelope.contentType : '';
  let json: unknown;
  if (innerType !== '' && !isProtobufContentType(innerType)) {
    if ((innerType.split(';')[0] ?? '').trim() !== 'application/json') {
      throw badRequest(`unsupported content type "${innerType}" in the protobuf envelope`);
    }
    json = parseEmbeddedJson(raw, apiVersion, kind);
  } else {
    const type = typeForKind(apiVersion, kind);
    if (!type) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
    try {
      json = messageToJson(type, type.decode(raw) as unknown as WireMessage, embedded);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw badRequest(`unable to decode protobuf ${apiVersion}, Kind=${kind}: ${errorText(err)}`);
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw badRequest(`${apiVersion}, Kind=${kind} is not an object kind`);
  const { apiVersion: _a, kind: _k, ...fields } = json as Record<string, unknown>;
  return { apiVersion, kind, object: { kind, apiVersion, ...fields } };
}

function parseEmbeddedJson(raw: Uint8Array, apiVersion: string, kind: string): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch { /* reported below */ }
  throw badRequest(`unable to decode JSON ${apiVersion}, Kind=${kind} in the protobuf envelope`);
}

/** Whether encodeKubeProtobuf knows this kind (built-in types yes; Table, custom resources no). */
export function canEncodeKubeProtobuf(apiVersion: string, kind: string): boolean {
  return typeForKind(apiVersion, kind) !== undefined;
}

/**
 * Encodes an object (with apiVersion and kind) for a client that accepts only protobuf.
 * A kind without a protobuf schema throws 406 NotAcceptable, as the real apiserver answers for
 * custom resources; an object of the wrong shape is a server bug and throws 500.
 */
export function encodeKubeProtobuf(obj: Record<string, unknown>): Buffer {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    throw internalError('cannot encode an object without apiVersion and kind as protobuf');
  }
  const type = typeForKind(apiVersion, kind);
  if (!type) {
    throw new StatusError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml');
  }
  let raw: Uint8Array;
  try {
    raw = type.encode(messageFromJson(type, obj, '') ?? {}).finish();
  } catch (err) {
    throw internalError(`encoding ${apiVersion}, Kind=${kind} as protobuf: ${errorText(err)}`);
  }
  const envelope = lookupType(unknownTypeName).encode({
    typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '',
  }).finish();
  return Buffer.concat([protobufMagic, envelope]);
}
