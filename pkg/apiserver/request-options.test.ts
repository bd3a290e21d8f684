import { describe, expect, it } from 'vitest';
import { isStatusError, type StatusError } from '../apierrors/index.ts';
import { queryBool, queryInt64, resourceVersionError, writeOptionsOf } from './request-options.ts';

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

describe('queryInt64 (strconv.ParseInt base 10)', () => {
  it.each([['5', 5], ['-3', -3], ['+7', 7], ['9223372036854775807', 9223372036854775807]])('%s parses', (v, want) => {
    expect(queryInt64(new URLSearchParams({ limit: v }), 'limit')).toBe(want);
  });
  it('absent is undefined', () => { expect(queryInt64(new URLSearchParams(), 'limit')).toBeUndefined(); });
  it.each([
    ['abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['0x10', 'strconv.ParseInt: parsing "0x10": invalid syntax'],
    ['1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
    ['-9223372036854775809', 'strconv.ParseInt: parsing "-9223372036854775809": value out of range'],
  ])('%j is a 400: %s', (v, message) => {
    const err = thrown(() => queryInt64(new URLSearchParams({ limit: v }), 'limit'));
    expect([err.code, err.reason, err.message]).toEqual([400, 'BadRequest', message]);
  });
});

describe('queryBool (Convert_Slice_string_To_bool)', () => {
  it.each([['false', false], ['FALSE', false], ['0', false], ['true', true], ['maybe', true], ['', true]])('%j is %s', (v, want) => {
    expect(queryBool(new URLSearchParams({ b: v }), 'b')).toBe(want);
  });
});

describe('resourceVersionError (ParseResourceVersion)', () => {
  it.each(['', '0', '12', '18446744073709551615'])('%j is a version', (rv) => { expect(resourceVersionError(rv)).toBeUndefined(); });
  it('beyond uint64', () => {
    expect(resourceVersionError('18446744073709551616')).toBe(
      'resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range');
  });
  it('not digits', () => {
    expect(resourceVersionError('-1')).toBe('resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax');
  });
});

describe('writeOptionsOf', () => {
  it('accepts what kubectl sends', () => {
    const q = new URLSearchParams('fieldManager=kubectl-client-side-apply&fieldValidation=Strict&dryRun=All');
    expect(writeOptionsOf(q, 'CreateOptions')).toEqual({ dryRun: true, fieldManager: 'kubectl-client-side-apply', fieldValidation: 'Strict' });
    expect(writeOptionsOf(new URLSearchParams(), 'UpdateOptions').fieldValidation).toBe('Warn');
  });
  it('an apply patch needs a fieldManager', () => {
    const err = thrown(() => writeOptionsOf(new URLSearchParams(), 'PatchOptions', true));
    expect(err.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });
  it('reports every problem in one 422, in ValidateCreateOptions order', () => {
    const err = thrown(() => writeOptionsOf(new URLSearchParams(`fieldValidation=x&dryRun=y&fieldManager=${'m'.repeat(129)}`), 'CreateOptions'));
    expect(err.code).toBe(422);
    expect(err.message).toBe('CreateOptions.meta.k8s.io "" is invalid: [fieldManager: Too long: may not be more than 128 bytes, '
      + 'dryRun: Unsupported value: []string{"y"}: supported values: "All", '
      + 'fieldValidation: Unsupported value: "x": supported values: "", "Ignore", "Strict", "Warn"]');
  });
});
