/**
 * Turns a URL into verb/group/version/resource/subresource/namespace/name, following
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

/** Subresources of a namespace that are not resources of their own (namespaces/<n>/status). */
const namespaceSubresources = new Set(['status', 'finalize']);

/**
 * The query parameters of a request target, as `new URL(target, base).searchParams` gives them
 * (the query ends at a fragment), without parsing the rest of the URL.
 */
export function queryOf(target: string): URLSearchParams {
  const start = target.indexOf('?');
  if (start < 0) return new URLSearchParams();
  const hash = target.indexOf('#', start);
  return new URLSearchParams(hash < 0 ? target.slice(start + 1) : target.slice(start + 1, hash));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A path segment's %-escapes decoded as Go's url package does: escapes give bytes, not characters.
 * Bytes that are not UTF-8 (`%ff%fe`) are kept one by one as lone surrogates U+DC80..U+DCFF, which
 * apierrors prints as Go prints an invalid byte. A malformed escape (`%zz`) still throws URIError.
 */
export function unescapeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not UTF-8 once decoded, or not a valid escape: decode byte by byte below.
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length;) {
    if (segment[i] === '%') {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new URIError('URI malformed');
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const ch = String.fromCodePoint(segment.codePointAt(i)!);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const width = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (width > 0 && i + width <= bytes.length) {
      try {
        out += utf8.decode(Uint8Array.from(bytes.slice(i, i + width)));
        i += width;
        continue;
      } catch {
        // An invalid sequence: escape its first byte and go on from the next.
      }
    }
    out += String.fromCharCode(0xdc00 + lead);
    i += 1;
  }
  return out;
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', parts: [],
  };
  // Empty segments (leading, trailing or doubled slashes) are dropped; only escaped ones need decoding.
  let parts = path.split('/').filter((p) => p !== '');
  if (path.includes('%')) parts = parts.map(unescapeSegment);
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 1) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  if (parts.length < 1) return info;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  if (parts.length < 1) return info;
  info.isResourceRequest = true;

  const m = method.toUpperCase();
  let explicitWatch = false;
  if (parts[0] === 'watch') { explicitWatch = true; parts = parts.slice(1); }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  switch (m) {
    case 'POST': info.verb = 'create'; break;
    case 'GET': case 'HEAD': info.verb = 'get'; break;
    case 'PUT': info.verb = 'update'; break;
    case 'PATCH': info.verb = 'patch'; break;
    case 'DELETE': info.verb = 'delete'; break;
    default: info.verb = m.toLowerCase();
  }
  if (explicitWatch) info.verb = 'watch';
  if (!info.name && info.verb === 'get') info.verb = isTruthy(query.get('watch') ?? undefined) ? 'watch' : 'list';
  else if (info.verb === 'get' && isTruthy(query.get('watch') ?? undefined)) info.verb = 'watch';
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
