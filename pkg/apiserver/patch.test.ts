import { describe, expect, it } from 'vitest';
import { isStatusError } from '../apierrors/index.ts';
import { cloneJson, nestingDepthError } from './decode-object.ts';
import { applyJsonPatch, applyPatch, encodedSizeUpTo, jsonPatchMaxCopyBytes, mergePatch } from './patch.ts';

function nested(levels: number, leaf: unknown = 1, array = false): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = array ? [v] : { a: v };
  return v;
}

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

const gvk = { group: '', version: 'v1', kind: 'ConfigMap' };
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };

describe('nestingDepthError', () => {
  it.each([
    ['a scalar', 1, undefined],
    ['10,000 objects', nested(10000), undefined],
    ['10,001 objects', nested(10001), "invalid character '{' exceeded max depth"],
    ['10,001 arrays', nested(10001, 1, true), "invalid character '[' exceeded max depth"],
    ['100,000 objects', nested(100000), "invalid character '{' exceeded max depth"],
  ])('%s', (_, value, want) => {
    expect(nestingDepthError(value)).toBe(want);
  });

  it('names the first bracket past the limit in document order', () => {
    expect(nestingDepthError({ x: [nested(10000, 1, true)], y: nested(10000) })).toBe("invalid character '[' exceeded max depth");
    expect(nestingDepthError({ x: nested(10000), y: [nested(10000, 1, true)] })).toBe("invalid character '{' exceeded max depth");
  });
});

describe('encodedSizeUpTo', () => {
  it.each([
    [{ a: 'x', b: [1, true, null] }],
    [['é', { 'k"': {} }, []]],
    ['plain'],
  ])('is the compact JSON byte length: %j', (v) => {
    expect(encodedSizeUpTo(v, 1e9)).toBe(Buffer.byteLength(JSON.stringify(v)));
  });

  it('stops soon after the budget', () => {
    const big = Array.from({ length: 100000 }, () => 'xxxxxxxxxx');
    const size = encodedSizeUpTo(big, 100);
    expect(size).toBeGreaterThan(100);
    expect(size).toBeLessThan(200000);
  });
});

describe('cloneJson', () => {
  it('copies deeply, without recursion', () => {
    const v = { a: [1, { b: 'c' }], d: nested(100000) };
    const c = cloneJson(v) as typeof v;
    expect(c.a).toEqual(v.a);
    expect(c.a).not.toBe(v.a);
    expect(c.a[1]).not.toBe(v.a[1]);
    expect(nestingDepthError(c.d)).toBe(nestingDepthError(v.d));
  });
});

describe('applyJsonPatch', () => {
  it('refuses more than 10,000 operations with a 413, before applying any', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' }));
    expect(statusOf(() => applyJsonPatch(cm, ops))).toEqual({ code: 413, reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' });
    expect(() => applyJsonPatch(cm, ops.slice(0, 10000))).not.toThrow();
  });

  it('refuses copies past 3 MiB in all (422), and allows them up to it', () => {
    const value = 'x'.repeat(1024 * 1024 - 2);
    const ops = (n: number) => [
      { op: 'add', path: '/data', value: { v: value } },
      ...Array.from({ length: n }, (_, i) => ({ op: 'copy', from: '/data/v', path: `/data/c${i}` })),
    ];
    expect(encodedSizeUpTo(value, Infinity) * 3).toBe(jsonPatchMaxCopyBytes);
    expect(() => applyJsonPatch(cm, ops(3))).not.toThrow();
    expect(statusOf(() => applyJsonPatch(cm, ops(4)))).toEqual({ code: 422, reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request' });
  });

  it('refuses a copy bomb after a handful of doublings', () => {
    const ops = [{ op: 'add', path: '/metadata/annotations', value: { k: 'v'.repeat(100) } },
      ...Array.from({ length: 60 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` }))];
    expect(statusOf(() => applyJsonPatch(cm, ops)).code).toBe(422);
  });

  it('refuses a result nested past the limit (422), however it got there', () => {
    const ops = [{ op: 'add', path: '/data', value: nested(9999) }];
    expect(statusOf(() => applyJsonPatch(cm, ops)).code).toBe(422);
  });
});

describe('applyPatch on a patch nested past the limit', () => {
  const deep = nested(100000);
  const scanner = "invalid character '{' exceeded max depth";
  const decoding = `error decoding patch: ${scanner}`;
  it.each<{ kind: 'merge' | 'strategic' | 'json'; validation: 'Warn' | 'Strict' | 'Ignore'; message: string }>([
    { kind: 'merge', validation: 'Warn', message: decoding }, { kind: 'merge', validation: 'Strict', message: decoding },
    { kind: 'merge', validation: 'Ignore', message: 'Invalid JSON Patch' },
    { kind: 'strategic', validation: 'Warn', message: scanner }, { kind: 'strategic', validation: 'Ignore', message: scanner },
    { kind: 'json', validation: 'Warn', message: decoding }, { kind: 'json', validation: 'Ignore', message: scanner },
  ])('$kind, fieldValidation=$validation → 400', ({ kind, validation, message }) => {
    const patch = kind === 'json' ? [{ op: 'add', path: '/data', value: deep }] : deep;
    expect(statusOf(() => applyPatch(kind, cm, patch, gvk, validation))).toEqual({ code: 400, reason: 'BadRequest', message });
  });

  it('applies a merge patch 10,000 deep', () => {
    const out = applyPatch('merge', { ...cm, a: nested(3) }, nested(10000), gvk) as Record<string, unknown>;
    expect(nestingDepthError({ x: out })).toBe("invalid character '{' exceeded max depth");
    expect(nestingDepthError(out)).toBeUndefined();
  });
});

describe('mergePatch', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: { f: 1 } }, g: [1] }, { a: 1, b: { d: 3, e: { f: 1 } }, g: [1] }],
    [{ a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    [{ a: 'x' }, { a: { b: null, c: 1 } }, { a: { c: 1 } }],
    [{ a: 1 }, [1], [1]],
  ])('%j + %j', (target, patch, want) => {
    const before = JSON.stringify(target);
    expect(mergePatch(target, patch)).toEqual(want);
    expect(JSON.stringify(target)).toBe(before);
  });
});
