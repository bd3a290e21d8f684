/**
 * Discovery documents, legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and aggregated
 * (apidiscovery.k8s.io/v2 and v2beta1), all derived from the resource table and built once.
 */
import { createHash } from 'node:crypto';
import { groupVersions, resourcesIn, apiVersionOf, type ResourceEntry } from '../resources/index.ts';

/** storageversionhash.StorageVersionHash: first 8 bytes of sha256("group/version/kind"), base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function sortedVerbs(verbs: readonly string[]): string[] {
  return [...verbs].sort();
}

function legacyResources(e: ResourceEntry): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: e.plural, singularName: e.singular, namespaced: e.namespaced, kind: e.kind, verbs: sortedVerbs(e.verbs),
  };
  if (e.shortNames.length) main.shortNames = [...e.shortNames];
  if (e.categories.length) main.categories = [...e.categories];
  if (e.stored) main.storageVersionHash = storageVersionHash(e.group, e.version, e.kind);
  const subs = e.subresources.map((s) => {
    const r: Record<string, unknown> = { name: `${e.plural}/${s.name}`, singularName: '', namespaced: e.namespaced };
    if (s.group !== undefined) { r.group = s.group; r.version = s.version; }
    r.kind = s.kind || e.kind;
    r.verbs = sortedVerbs(s.verbs);
    return r;
  });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const entries = resourcesIn(group, version);
  if (entries.length === 0) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }),
    resources: entries.flatMap(legacyResources),
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions', versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function namedGroups(): { name: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const gv of groupVersions()) {
    if (!gv.group) continue;
    const list = groups.get(gv.group) ?? [];
    list.push(gv.version);
    groups.set(gv.group, list);
  }
  return [...groups].map(([name, versions]) => ({ name, versions }));
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: namedGroups().map((g) => apiGroup(g.name, g.versions)),
  };
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupDocument(name: string): Record<string, unknown> | undefined {
  const g = namedGroups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) } : undefined;
}

function aggregatedResource(e: ResourceEntry): Record<string, unknown> {
  const r: Record<string, unknown> = {
    resource: e.plural,
    responseKind: { group: e.group, version: e.version, kind: e.kind },
    scope: e.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: e.singular,
    verbs: sortedVerbs(e.verbs),
  };
  if (e.shortNames.length) r.shortNames = [...e.shortNames];
  if (e.categories.length) r.categories = [...e.categories];
  if (e.subresources.length) {
    r.subresources = e.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? e.group, version: s.version ?? e.version, kind: s.kind || e.kind },
      verbs: sortedVerbs(s.verbs),
    }));
  }
  return r;
}

/** Aggregated discovery for /api (legacy=true: the core group) or /apis (every named group). */
export function aggregatedDiscovery(legacy: boolean, apiVersion: string): Record<string, unknown> {
  const groups = legacy ? [{ name: '', versions: ['v1'] }] : namedGroups();
  return {
    kind: 'APIGroupDiscoveryList', apiVersion, metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v, resources: resourcesIn(g.name, v).map(aggregatedResource), freshness: 'Current',
      })),
    })),
  };
}
