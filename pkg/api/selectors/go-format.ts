/**
 * Go formatting helpers, so selector errors read byte for byte like the apiserver's:
 * `%q` quoting, `%#v` of a []string, field.Error.Error() and the aggregate's `[a, b]` form.
 * goQuote, goStringSlice, compareBytes and byteLength are also the ones pkg/registry/validation
 * renders field errors with (exported through index.ts), so both layers quote alike.
 */

/** An error whose message is the Go error text; the public functions turn it into a 400. */
export class SelectorSyntaxError extends Error {}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const namedEscapes: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** strconv.Quote: what Go's `%q` prints for a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (printable.test(ch)) out += ch;
    else if (namedEscapes[ch] !== undefined) out += namedEscapes[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate: invalid rune in Go
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** `%#v` of a Go []string; null or undefined stands for a nil slice. */
export function goStringSlice(values: readonly string[] | undefined | null): string {
  if (values === undefined || values === null) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/**
 * field.Invalid(path, value, detail).Error(). A null path prints `<nil>`, as a nil *field.Path does
 * (that is why the apiserver says `<nil>: Invalid value: ...` for a bad key in `?labelSelector=`).
 */
export function invalidFieldMessage(path: string | null, value: string | readonly string[] | null, detail: string): string {
  const shown = typeof value === 'string' ? goQuote(value) : goStringSlice(value);
  return `${path ?? '<nil>'}: Invalid value: ${shown}${detail ? `: ${detail}` : ''}`;
}

/** field.NotSupported(path, value, supported).Error() for a string value. */
export function notSupportedFieldMessage(path: string, value: string, supported: readonly string[]): string {
  const detail = supported.length > 0 ? `: supported values: ${supported.map(goQuote).join(', ')}` : '';
  return `${path}: Unsupported value: ${goQuote(value)}${detail}`;
}

/** utilerrors.NewAggregate(...).Error(): duplicates dropped, one message bare, several in brackets. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** Go compares strings bytewise (UTF-8); JS `<` compares UTF-16 units. Sorting must follow Go. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** len(s) in Go: UTF-8 bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
