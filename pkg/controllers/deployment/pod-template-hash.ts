/**
 * The pod-template-hash a Deployment's ReplicaSets are named and labelled with (kubernetes
 * pkg/controller/controller_utils.go ComputeHash, apimachinery util/rand SafeEncodeString).
 *
 * Upstream feeds FNV-32a with go-spew's `%#v` dump of the Go PodTemplateSpec struct (every field of
 * every nested Go type, in declaration order), then with collisionCount as 8 little-endian bytes,
 * and renders the decimal Sum32 through SafeEncodeString. Reproducing spew's dump of the Go types is
 * impractical here, so the printed form is the template's canonical JSON (keys sorted, recursively).
 * Everything else is upstream's: FNV-32a, the collisionCount bytes, the decimal string and the
 * alphabet, so names have upstream's shape (`web-5d8f7c9b4`) and change exactly when it would:
 * when the template changes or collisionCount is bumped. Values differ from a real cluster's.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** rand.SafeEncodeString's alphabet: no vowels (no words), no 0/1/3 (lookalikes of o, l, e). */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over `bytes`, continuing from `hash` (FNV's offset basis by default). */
export function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte of `s` picks a character of the alphabet (byte modulo 27). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += alphanums[b % alphanums.length];
  return out;
}

/** JSON with object keys sorted at every level, so equal templates print identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** controller.ComputeHash: the pod-template-hash for `template` and the Deployment's status.collisionCount. */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
