/**
 * Where each field of a YAML file is, so a refusal can name its line: js-yaml's event stream
 * (parseEvents) carries source offsets, which are walked once beside the ordinary load. Paths
 * read like the refusals print them: `spec.selector.matchExpressions[1].operator`; a mapping
 * entry's position is its key's, a list item's is the item's.
 */
import { EVENT_ID, getScalarValue, parseEvents, type Event } from 'js-yaml';

/** Per document: field path → 1-based line. */
export type DocumentLines = Map<string, number>;

interface Frame {
  kind: 'document' | 'mapping' | 'sequence';
  path: string;
  index: number;
  expectingKey: boolean;
  key: string;
}

const child = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** Lines of every field, one map per document (empty documents included, as loadAll skips none). */
export function fieldLines(source: string): DocumentLines[] {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const docs: DocumentLines[] = [];
  const stack: Frame[] = [];
  const startOf = (e: Event): number => ('start' in e ? e.start : 'valueStart' in e ? e.valueStart : 'anchorStart' in e ? e.anchorStart : -1);

  /** Records where the node starting at `offset` sits in its parent; returns its path. */
  const place = (e: Event): string => {
    const frame = stack.at(-1)!;
    const lines = docs.at(-1)!;
    const offset = startOf(e);
    if (frame.kind === 'document') return frame.path;
    if (frame.kind === 'sequence') {
      const path = `${frame.path}[${frame.index}]`;
      if (offset >= 0) lines.set(path, lineOf(offset));
      return path;
    }
    if (frame.expectingKey) {
      frame.key = e.type === EVENT_ID.SCALAR ? getScalarValue(source, e) : '?';
      const path = child(frame.path, frame.key);
      if (offset >= 0) lines.set(path, lineOf(offset));
      return `${path}#key`;
    }
    return child(frame.path, frame.key);
  };
  const complete = () => {
    const frame = stack.at(-1);
    if (!frame) return;
    if (frame.kind === 'mapping') frame.expectingKey = !frame.expectingKey;
    else if (frame.kind === 'sequence') frame.index++;
  };

  for (const e of parseEvents(source, {})) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        docs.push(new Map());
        stack.push({ kind: 'document', path: '', index: 0, expectingKey: false, key: '' });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const path = place(e);
        if (path === '' && e.start >= 0) docs.at(-1)!.set('', lineOf(e.start));
        stack.push({ kind: e.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', path, index: 0, expectingKey: true, key: '' });
        break;
      }
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS:
        place(e);
        complete();
        break;
      case EVENT_ID.POP:
        stack.pop();
        complete();
        break;
    }
  }
  return docs;
}

/** The line of `path`, or of its nearest ancestor that has one. */
export function lineOfPath(lines: DocumentLines | undefined, path: string): number | undefined {
  let p = path;
  for (;;) {
    const line = lines?.get(p);
    if (line !== undefined) return line;
    if (p === '') return undefined;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut < 0 ? '' : p.slice(0, cut);
  }
}
