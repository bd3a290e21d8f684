/**
 * PodLogOptions from a `pods/{name}/log` query, as the apiserver's parameter codec converts them
 * (runtime.Convert_Slice_string_To_*: booleans are true unless 0/f/false/n/no, a number that
 * strconv.ParseInt refuses or a time that time.Parse(RFC3339) refuses is a 400 with Go's error
 * text), then ValidatePodLogOptions (pkg/apis/core/validation) as one 422 Invalid. Unknown
 * parameters are ignored, as the codec ignores them.
 */
import * as apierrors from '../../../apierrors/index.ts';
import type { FieldError } from '../../../apierrors/index.ts';

export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  insecureSkipTLSVerifyBackend: boolean;
  sinceSeconds?: number;
  /** Whole seconds: metav1.Time carries no fraction on the wire. */
  sinceTime?: Date;
  tailLines?: number;
  limitBytes?: number;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && !['0', 'f', 'false', 'n', 'no'].includes(v.toLowerCase());
}

/** strconv.ParseInt(v, 10, 64) or its error text. */
function int64Param(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw apierrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw apierrors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

/** The elements of Go's RFC3339 layout and what each accepts, in order. */
const rfc3339Elements: readonly [string, RegExp][] = [
  ['2006', /^\d{4}/], ['-', /^-/], ['01', /^\d{2}/], ['-', /^-/], ['02', /^\d{2}/], ['T', /^T/],
  ['15', /^\d{2}/], [':', /^:/], ['04', /^\d{2}/], [':', /^:/], ['05', /^\d{2}(\.\d+)?/], ['Z07:00', /^(Z|[+-]\d{2}:\d{2})/],
];

/** time.Parse(time.RFC3339, v), with Go's ParseError text on failure (range checks aside). */
export function parseRfc3339Time(v: string): Date {
  const layout = '2006-01-02T15:04:05Z07:00';
  let rest = v;
  for (const [element, pattern] of rfc3339Elements) {
    const m = pattern.exec(rest);
    if (!m) throw apierrors.badRequest(`parsing time ${JSON.stringify(v)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(element)}`);
    rest = rest.slice(m[0].length);
  }
  if (rest) throw apierrors.badRequest(`parsing time ${JSON.stringify(v)}: extra text: ${JSON.stringify(rest)}`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw apierrors.badRequest(`parsing time ${JSON.stringify(v)}: day out of range`);
  return d;
}

function timeParam(q: URLSearchParams, name: string): Date | undefined {
  const v = q.get(name);
  // metav1.Time.UnmarshalQueryParameter: empty and "null" are the zero time (no since).
  if (v === null || v === '' || v === 'null') return undefined;
  const t = parseRfc3339Time(v);
  return new Date(Math.floor(t.getTime() / 1000) * 1000);
}

/** Decodes and validates; throws 400 BadRequest or 422 Invalid (kind PodLogOptions, named after the pod). */
export function podLogOptionsOf(query: URLSearchParams, podName: string): PodLogOptions {
  const opts: PodLogOptions = {
    container: query.get('container') ?? '',
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
    insecureSkipTLSVerifyBackend: boolParam(query, 'insecureSkipTLSVerifyBackend'),
    sinceSeconds: int64Param(query, 'sinceSeconds'),
    sinceTime: timeParam(query, 'sinceTime'),
    tailLines: int64Param(query, 'tailLines'),
    limitBytes: int64Param(query, 'limitBytes'),
  };
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(apierrors.field.invalid('tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(apierrors.field.invalid('limitBytes', opts.limitBytes, 'must be greater than 0'));
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(apierrors.field.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(apierrors.field.invalid('sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  }
  if (errs.length > 0) throw apierrors.invalid('', 'PodLogOptions', podName, errs);
  return opts;
}

/** The kubelet query LogLocation builds: only the options set, keys sorted as url.Values.Encode. */
export function kubeletLogQuery(opts: PodLogOptions): string {
  const params: [string, string][] = [];
  if (opts.follow) params.push(['follow', 'true']);
  if (opts.limitBytes !== undefined) params.push(['limitBytes', String(opts.limitBytes)]);
  if (opts.previous) params.push(['previous', 'true']);
  if (opts.sinceSeconds !== undefined) params.push(['sinceSeconds', String(opts.sinceSeconds)]);
  if (opts.sinceTime) params.push(['sinceTime', opts.sinceTime.toISOString().replace(/\.\d{3}Z$/, 'Z')]);
  if (opts.tailLines !== undefined) params.push(['tailLines', String(opts.tailLines)]);
  if (opts.timestamps) params.push(['timestamps', 'true']);
  return params.length ? `?${new URLSearchParams(params).toString()}` : '';
}
