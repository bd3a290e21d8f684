/**
 * The protobuf schema of every built-in type, loaded once from descriptors/k8s.json (written by
 * hack/update-proto-descriptors.ts from kubectl's embedded descriptors), and the lookups the
 * codec needs: apiVersion/kind → message type, and the Go facts each field carries as options.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { repoPath } from '../util/repo-path.ts';

const artefactPath = repoPath('pkg/protobuf/descriptors/k8s.json');

/** Proto package of apimachinery's meta/v1: Status, DeleteOptions, List, WatchEvent… */
export const metaV1Package = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const unknownTypeName = 'k8s.io.apimachinery.pkg.runtime.Unknown';

interface Schema {
  root: protobuf.Root;
  /** "apps/v1" → the namespace holding that proto package's messages. */
  packages: Map<string, protobuf.Namespace>;
  /** apiVersion + "/" + kind → type, or null when none exists. */
  resolved: Map<string, protobuf.Type | null>;
}

let schema: Schema | undefined;

function load(): Schema {
  if (schema) return schema;
  const artefact = JSON.parse(readFileSync(artefactPath, 'utf8')) as { root: protobuf.INamespace };
  const root = protobuf.Root.fromJSON(artefact.root);
  root.resolveAll();
  const packages = new Map<string, protobuf.Namespace>();
  const index = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (!(child instanceof protobuf.Namespace) || child instanceof protobuf.Type) continue;
      // A version namespace ("v1", "v1beta2", "v2") under its package name ("apps", "meta", "core").
      if (/^v\d+((alpha|beta)\d+)?$/.test(child.name) && child.parent) {
        const key = `${child.parent.name}/${child.name}`;
        // k8s.io.api.* wins over anything else that happens to share the short name.
        if (!packages.has(key) || child.fullName.startsWith('.k8s.io.api.')) packages.set(key, child);
      }
      index(child);
    }
  };
  index(root);
  schema = { root, packages, resolved: new Map() };
  return schema;
}

export function lookupType(fullName: string): protobuf.Type {
  return load().root.lookupType(fullName);
}

/**
 * Proto package names a group may live under. Most groups use their first DNS label
 * (rbac.authorization.k8s.io → rbac); internal.apiserver.k8s.io is apiserverinternal.
 */
function packageCandidates(group: string): string[] {
  if (group === '') return ['core'];
  const parts = group.replace(/\.k8s\.io$/, '').split('.');
  return [...new Set([parts[0] ?? '', parts.join(''), [...parts].reverse().join('')])];
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The message for an apiVersion/kind: the kind in its group's package, else a meta/v1 kind
 * (DeleteOptions, Status, WatchEvent…), which every group version also registers.
 */
export function typeForKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const s = load();
  const key = `${apiVersion}/${kind}`;
  const cached = s.resolved.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const { group, version } = splitApiVersion(apiVersion);
  let found: protobuf.Type | null = null;
  const namespaces = packageCandidates(group).map((p) => s.packages.get(`${p}/${version}`));
  namespaces.push(s.packages.get('meta/v1'));
  for (const ns of namespaces) {
    const candidate = ns?.get(kind);
    if (candidate instanceof protobuf.Type) { found = candidate; break; }
  }
  s.resolved.set(key, found);
  return found ?? undefined;
}

/** Go facts recorded as field options by the generator (see hack/update-proto-descriptors.ts). */
export function jsonName(field: protobuf.Field): string {
  const override = field.options?.['(k8s.json)'];
  return typeof override === 'string' ? override : field.name;
}

/** A Go value (non-pointer) field: always present in Go, so zero scalars are omitted (omitempty). */
export function isValueField(field: protobuf.Field): boolean {
  return field.options?.['(gogoproto.nullable)'] === false;
}

/** False for a Go value scalar tagged without omitempty: Go prints it even when zero. */
export function isOmitEmpty(field: protobuf.Field): boolean {
  return field.options?.['(k8s.omitempty)'] !== false;
}

/** A Go embedded struct tagged `json:",inline"`: its fields sit directly in the parent object. */
export function isInline(field: protobuf.Field): boolean {
  return field.options?.['(k8s.inline)'] === true;
}

/** A named Go slice (Verbs, ExtraValue): `{ items: [...] }` on the wire, a bare array in JSON. */
export function isNamedSlice(type: protobuf.Type): boolean {
  return type.options?.['(k8s.slice)'] === true;
}
