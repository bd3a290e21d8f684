/**
 * Reads and decodes request bodies: JSON, YAML and Kubernetes protobuf objects, and the patch
 * types. Enforces the 3 MiB request limit of the real apiserver.
 */
import type { Request } from 'express';
import * as yaml from 'js-yaml';
import * as apierrors from '../apierrors/index.ts';
import { decodeKubeProtobuf, isProtobufContentType } from '../protobuf/index.ts';

export const maxRequestBodyBytes = 3 * 1024 * 1024;

/**
 * The whole request body. Plain stream events rather than `for await`: the async iterator's
 * promise per chunk and its teardown cost more than the read itself for the small bodies most
 * writes have. A body over the limit (declared by Content-Length, or counted as a chunked body
 * arrives) rejects with rest.go limitedReadBody's 413; the request is not destroyed, so the Status
 * reaches the client, and the rest of the body is discarded as it arrives (Node's requestTimeout
 * bounds a body that never ends).
 */
export function readRawBody(req: Request): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxRequestBodyBytes) return Promise.reject(apierrors.requestEntityTooLarge(maxRequestBodyBytes));
  // Usually the whole request has been parsed by the time a handler asks (small bodies arrive
  // with their headers): take what is buffered at once instead of waiting for stream events.
  if (req.complete && req.readableFlowing === null && !req.readableEnded && !req.readableEncoding) {
    const body = req.read() as Buffer | null;
    if (body !== null && body.length > maxRequestBodyBytes) return Promise.reject(apierrors.requestEntityTooLarge(maxRequestBodyBytes));
    return Promise.resolve(body ?? Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxRequestBodyBytes) {
        done();
        discardRest(req);
        reject(apierrors.requestEntityTooLarge(maxRequestBodyBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onClose = (): void => {
      done();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Reads and drops what is left of a body we refused, so the socket stays readable for the reply. */
function discardRest(req: Request): void {
  req.on('error', () => undefined);
  req.resume();
}

export function mediaType(req: Request): string {
  return String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Go's encoding/json wording for syntax errors, which is what clients of the real server see. */
function jsonSyntaxMessage(err: unknown, text: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  if (text.trim() === '') return 'unexpected end of JSON input';
  if (pos) {
    const ch = text[Number(pos[1])];
    if (ch === undefined) return 'unexpected end of JSON input';
    return `invalid character '${ch}' looking for beginning of value`;
  }
  if (/Unexpected end/i.test(msg)) return 'unexpected end of JSON input';
  return msg;
}

/** Decodes an object body (create/update). Returns unknown: the caller checks its shape. */
export function decodeObjectBody(raw: Buffer, type: string): unknown {
  if (raw.length === 0) throw apierrors.badRequest('the body of the request was empty');
  if (isProtobufContentType(type)) return decodeKubeProtobuf(raw).object;
  const text = raw.toString('utf8');
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw apierrors.badRequest(`couldn't get version/kind; json parse error: ${jsonSyntaxMessage(err, text)}`);
    }
  }
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    try {
      return yaml.load(text);
    } catch (err) {
      throw apierrors.badRequest(`error converting YAML to JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw apierrors.unsupportedMediaType(type);
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** The PATCH content types in the order the real installer lists them in its 415 message. */
export const patchMediaTypes = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
];

export function patchTypeOf(type: string): PatchType {
  switch (type) {
    case 'application/json-patch+json': return 'json';
    case 'application/merge-patch+json': return 'merge';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml': return 'apply';
    default:
      throw new apierrors.StatusError(415, 'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${patchMediaTypes.join(', ')}`);
  }
}

export function decodePatchBody(raw: Buffer, kind: PatchType): unknown {
  const text = raw.toString('utf8');
  try {
    return kind === 'apply' ? yaml.load(text) : JSON.parse(text);
  } catch (err) {
    throw apierrors.badRequest(`error decoding patch: ${jsonSyntaxMessage(err, text)}`);
  }
}
