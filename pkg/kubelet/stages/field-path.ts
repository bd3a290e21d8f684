/**
 * The field paths stage selectors name: a small, checkable subset of kwok's jq expressions, enough
 * to reach any status field the kubelet writes. A path is a chain of
 *   `.name`            a field (letters, digits, `_`, `-`)
 *   `["any key"]`      a map key with dots or slashes (labels, annotations)
 *   `[2]`              a list item by index
 *   `[type=Ready]`     the first list item whose field `type` is `Ready`
 * e.g. `.status.conditions[type=Ready].status`. Parsed once when a file loads, so a typo is
 * refused at start-up rather than never matching.
 */

export type PathSegment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'where'; field: string; value: string };

const segment = /\.([A-Za-z0-9_-]+)|\["([^"\]]+)"\]|\[(\d+)\]|\[([A-Za-z0-9_-]+)=([^\]]*)\]/y;

/** The segments of `text`; throws an Error naming the problem (the loader adds file, line and field). */
export function parseFieldPath(text: string): PathSegment[] {
  if (!text.startsWith('.') && !text.startsWith('[')) throw new Error(`field path "${text}" must start with "." (e.g. .status.phase)`);
  const out: PathSegment[] = [];
  segment.lastIndex = 0;
  while (segment.lastIndex < text.length) {
    const at = segment.lastIndex;
    const m = segment.exec(text);
    if (!m) throw new Error(`field path "${text}" cannot be read at "${text.slice(at)}"`);
    if (m[1] !== undefined) out.push({ kind: 'field', name: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'field', name: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'index', index: Number(m[3]) });
    else out.push({ kind: 'where', field: m[4]!, value: m[5]! });
  }
  return out;
}

/** The value at `path` in `obj`, or undefined when any step is missing. */
export function readFieldPath(obj: unknown, path: readonly PathSegment[]): unknown {
  let at: unknown = obj;
  for (const seg of path) {
    if (at === null || typeof at !== 'object') return undefined;
    if (seg.kind === 'field') {
      if (Array.isArray(at)) return undefined;
      at = (at as Record<string, unknown>)[seg.name];
    } else if (!Array.isArray(at)) {
      return undefined;
    } else if (seg.kind === 'index') {
      at = at[seg.index];
    } else {
      at = at.find((item: unknown) => item !== null && typeof item === 'object'
        && String((item as Record<string, unknown>)[seg.field]) === seg.value);
    }
  }
  return at;
}
