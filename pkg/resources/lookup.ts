/** Lookups over the resource table. */
import { aggregatedResourceTable, resourceTable, type ResourceEntry } from './resource-table.ts';

/** Everything discovery lists and requests route to: the table plus the aggregated groups. */
const servedResources: readonly ResourceEntry[] = [...resourceTable, ...aggregatedResourceTable];

export function apiVersionOf(e: Pick<ResourceEntry, 'group' | 'version'>): string {
  return e.group ? `${e.group}/${e.version}` : e.version;
}

/** "pods" or "deployments.apps": the key used for strategies, printers and caches. */
export function resourceKey(e: Pick<ResourceEntry, 'group' | 'plural'>): string {
  return e.group ? `${e.plural}.${e.group}` : e.plural;
}

const byGVR = new Map<string, ResourceEntry>();
const byGVK = new Map<string, ResourceEntry>();
for (const e of servedResources) {
  byGVR.set(`${e.group}/${e.version}/${e.plural}`, e);
  byGVK.set(`${e.group}/${e.version}/${e.kind}`, e);
}

export function findResource(group: string, version: string, plural: string): ResourceEntry | undefined {
  return byGVR.get(`${group}/${version}/${plural}`);
}

export function findKind(group: string, version: string, kind: string): ResourceEntry | undefined {
  return byGVK.get(`${group}/${version}/${kind}`);
}

/** Group/versions in the order discovery lists them (core first, then by first appearance). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Set<string>();
  const out: { group: string; version: string }[] = [];
  for (const e of servedResources) {
    const k = `${e.group}/${e.version}`;
    if (!seen.has(k)) { seen.add(k); out.push({ group: e.group, version: e.version }); }
  }
  return out;
}

export function resourcesIn(group: string, version: string): ResourceEntry[] {
  return servedResources.filter((e) => e.group === group && e.version === version);
}
