/**
 * The query of `GET /containerLogs/{namespace}/{pod}/{container}` read as the kubelet reads it
 * (pkg/kubelet/server/server.go getContainerLogs): the legacy `tail` parameter first, then the v1
 * PodLogOptions query conversion (a malformed number or time is 400 "Unable to decode query."),
 * then ValidatePodLogOptions (422 "Invalid request."). The kubelet's own bodies are these fixed
 * JSON-looking strings; the apiserver validated the same options with the real messages already.
 */

export interface KubeletLogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
}

export type LogQueryResult =
  | { ok: true; options: KubeletLogOptions }
  | { ok: false; status: 400 | 422; body: string };

/** runtime.Convert_Slice_string_To_bool: anything but 0/f/false/n/no (any case) is true. */
export function queryBoolean(value: string | null): boolean {
  if (value === null) return false;
  return !['0', 'f', 'false', 'n', 'no'].includes(value.toLowerCase());
}

/** strconv.ParseInt(s, 10, 64); undefined when it would fail. */
export function parseInt64(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** time.Parse(time.RFC3339, s): seconds required, fraction optional, `Z` or ±hh:mm. */
export function parseRfc3339(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(value.toUpperCase());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const decodeError = { ok: false, status: 400, body: '{"message": "Unable to decode query."}' } as const;
const invalidError = { ok: false, status: 422, body: '{"message": "Invalid request."}' } as const;

export function parseKubeletLogQuery(query: URLSearchParams): LogQueryResult {
  const q = new URLSearchParams(query);
  const tail = q.get('tail');
  if (tail) {
    if (tail === 'all') q.delete('tailLines');
    else q.set('tailLines', tail);
  }
  const int = (name: string): number | undefined | 'bad' => {
    const v = q.get(name);
    if (v === null) return undefined;
    return parseInt64(v) ?? 'bad';
  };
  const tailLines = int('tailLines');
  const limitBytes = int('limitBytes');
  const sinceSeconds = int('sinceSeconds');
  const sinceText = q.get('sinceTime');
  const sinceTime = sinceText && sinceText !== 'null' ? parseRfc3339(sinceText) ?? 'bad' : undefined;
  if (tailLines === 'bad' || limitBytes === 'bad' || sinceSeconds === 'bad' || sinceTime === 'bad') return decodeError;
  if ((tailLines !== undefined && tailLines < 0) || (limitBytes !== undefined && limitBytes < 1)) return invalidError;
  if (sinceSeconds !== undefined && (sinceTime !== undefined || sinceSeconds < 1)) return invalidError;
  return {
    ok: true,
    options: {
      follow: queryBoolean(q.get('follow')),
      previous: queryBoolean(q.get('previous')),
      timestamps: queryBoolean(q.get('timestamps')),
      tailLines, limitBytes, sinceSeconds, sinceTime,
    },
  };
}
