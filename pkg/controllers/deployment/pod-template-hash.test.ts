import { describe, expect, it } from 'vitest';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './pod-template-hash.ts';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } };

describe('pod-template-hash', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('fnv32a(%j) is the FNV-1a 32-bit reference value', (text, want) => {
    expect(fnv32a(Buffer.from(text))).toBe(want);
  });

  it('SafeEncodeString maps each byte modulo the 27-letter alphabet', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(safeEncodeString('a')).toBe('v');
  });

  it('prints templates canonically, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('is stable, alphabet-only, and changes with the template and collisionCount', () => {
    const h = computeHash(template);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(structuredClone(template))).toBe(h);
    expect(computeHash({ spec: template.spec, metadata: template.metadata })).toBe(h);
    const changed = structuredClone(template);
    changed.spec.containers[0]!.image = 'nginx:1.26';
    expect(computeHash(changed)).not.toBe(h);
    expect(computeHash(template, 0)).not.toBe(h);
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 0));
  });

  it('feeds collisionCount as 8 little-endian bytes after the template', () => {
    const base = fnv32a(Buffer.from(canonicalJson(template)));
    const withCount = fnv32a(Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0]), base);
    expect(computeHash(template, 2)).toBe(safeEncodeString(String(withCount)));
  });
});
