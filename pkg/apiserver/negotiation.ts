/**
 * Content negotiation: which encoding and which "as" transformation (Table, PartialObjectMetadata,
 * aggregated discovery) a client asked for through its Accept header.
 */
import * as yaml from 'js-yaml';
import type { Response } from 'express';
import { notAcceptable } from '../apierrors/index.ts';
import { encodeKubeProtobuf } from '../protobuf/index.ts';

export type Encoding = 'json' | 'yaml' | 'protobuf';

export interface MediaChoice {
  encoding: Encoding;
  /** The `as` parameter: Table, PartialObjectMetadata, PartialObjectMetadataList, APIGroupDiscoveryList. */
  as?: string;
  group?: string;
  version?: string;
}

interface Accepted extends MediaChoice { q: number }

function parseAccept(header: string | undefined): Accepted[] {
  if (!header) return [{ encoding: 'json', q: 1 }];
  const out: Accepted[] = [];
  for (const part of header.split(',')) {
    const [typeRaw, ...paramsRaw] = part.split(';');
    const type = (typeRaw ?? '').trim().toLowerCase();
    const params: Record<string, string> = {};
    for (const p of paramsRaw) {
      const [k, v] = p.split('=');
      if (k && v !== undefined) params[k.trim()] = v.trim();
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    let encoding: Encoding | undefined;
    if (type === 'application/json' || type === 'application/*' || type === '*/*' || type === 'application/json-patch+json') encoding = 'json';
    else if (type === 'application/yaml') encoding = 'yaml';
    else if (type === 'application/vnd.kubernetes.protobuf') encoding = 'protobuf';
    if (encoding) out.push({ encoding, as: params.as, group: params.g, version: params.v, q });
  }
  // Answer in JSON whenever the client allows it: protobuf only when it is the sole choice.
  const rank = (a: Accepted) => (a.encoding === 'protobuf' ? 1 : 0);
  return out.sort((a, b) => b.q - a.q || rank(a) - rank(b));
}

/** Parsed Accept headers: clients send the same few over and over. Bounded by clearing. */
const acceptCache = new Map<string, readonly Accepted[]>();
const acceptCacheSize = 256;

function parsedAccept(header: string | undefined): readonly Accepted[] {
  if (header === undefined) return parseAccept(header);
  let parsed = acceptCache.get(header);
  if (parsed === undefined) {
    parsed = parseAccept(header);
    if (acceptCache.size >= acceptCacheSize) acceptCache.clear();
    acceptCache.set(header, parsed);
  }
  return parsed;
}

/**
 * Picks the first acceptable media type for which `supportsAs` is true. Plain types (no `as`) are
 * always supported. Throws 406 when nothing fits.
 */
export function negotiate(accept: string | undefined, supportsAs: (c: MediaChoice) => boolean = () => false): MediaChoice {
  for (const c of parsedAccept(accept)) {
    if (c.q <= 0) continue;
    if (!c.as || supportsAs(c)) return { encoding: c.encoding, as: c.as, group: c.group, version: c.version };
  }
  throw notAcceptable();
}

const contentTypes: Record<Encoding, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: 'application/vnd.kubernetes.protobuf',
};

/** Writes one object in the chosen encoding. A pre-serialised JSON string may be passed to skip stringify. */
export function writeObject(res: Response, code: number, body: unknown, choice: MediaChoice, preJson?: string): void {
  res.statusCode = code; // what express's res.status sets, minus its checks (codes here are always valid)
  if (choice.encoding === 'yaml') {
    res.setHeader('Content-Type', contentTypes.yaml);
    res.end(yaml.dump(body, { noRefs: true, lineWidth: -1 }));
    return;
  }
  if (choice.encoding === 'protobuf' && !choice.as) {
    res.setHeader('Content-Type', contentTypes.protobuf);
    res.end(encodeKubeProtobuf(body as Record<string, unknown>));
    return;
  }
  // Only aggregated discovery names its GVK in the Content-Type (WriteObjectNegotiated's
  // listGVKInContentType, written g, v, as); Tables and other transformations are plain JSON.
  let type = contentTypes.json;
  if (choice.as === 'APIGroupDiscoveryList') type += `;g=${choice.group ?? ''};v=${choice.version ?? ''};as=${choice.as}`;
  res.setHeader('Content-Type', type);
  res.end(preJson ?? JSON.stringify(body));
}
