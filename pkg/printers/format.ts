/**
 * Cell formatting helpers shared by the printers, each mirroring an upstream function:
 * labels.FormatLabels, metav1.FormatLabelSelector / LabelSelectorAsSelector().String(),
 * layoutContainerCells and listWithMoreString (pkg/printers/internalversion/printers.go),
 * net.JoinHostPort.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Go's sort order for strings (byte-wise; identical to UTF-16 order for the ASCII of label keys). */
function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "k1=v1,k2=v2" with keys sorted, or "<none>" for an empty map (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byString);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

const selectorOps: Record<string, string> = { In: ' in ', NotIn: ' notin ' };

/**
 * labels.Selector.String() of metav1.LabelSelectorAsSelector: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; values sorted. "" for a nil or empty
 * selector; undefined when an operator is not one of the four valid ones (the Go code errors).
 */
export function labelSelectorString(selector: LabelSelector | undefined): string | undefined {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort(byString).join(',');
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        reqs.push({ key: expr.key, text: `${expr.key}${selectorOps[expr.operator] ?? ''}(${values})` });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, text: expr.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, text: `!${expr.key}` });
        break;
      default:
        return undefined;
    }
  }
  // Array.prototype.sort is stable, which keeps matchLabels before expressions on equal keys.
  return reqs.sort((a, b) => byString(a.key, b.key)).map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images, each comma-joined (layoutContainerCells). */
export function layoutContainerCells(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** net.JoinHostPort: IPv6 literals are bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "a,b,c + 2 more..." when `count` exceeds `max`, "<unset>" when empty (listWithMoreString). */
export function listWithMore(list: readonly string[], more: boolean, count: number, max: number): string {
  const joined = list.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined === '' ? '<unset>' : joined;
}

/** The owner reference marked controller: true (metav1.GetControllerOf). */
export function controllerOf(refs: readonly OwnerReference[] | undefined): OwnerReference | undefined {
  return (refs ?? []).find((r) => r.controller === true);
}

/** The group of an apiVersion: "apps/v1" → "apps", "v1" → "" (schema.ParseGroupVersion). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** printBoolPtr: "True", "False" or "<unset>". */
export function printBoolPtr(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}
