/**
 * Roles, ClusterRoles and their bindings, as printRole/printRoleBinding and the ClusterRole
 * variants in pkg/printers/internalversion/printers.go: roles show their creation time in RFC 3339
 * (not an age), bindings show "Kind/name" of the role and, wide, their subjects.
 */
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { objectMetaCreationTimestamp } from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

/** metav1.Time.UTC().Format(time.RFC3339): whole seconds, "Z"; the zero time when unset. */
function rfc3339(ts: string | undefined): string {
  if (!ts) return '0001-01-01T00:00:00Z';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : `${d.toISOString().slice(0, 19)}Z`;
}

export const rolePrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', objectMetaCreationTimestamp)],
  cells: (obj: KubeObject) => [obj.metadata.name ?? '', rfc3339(obj.metadata.creationTimestamp)],
};

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts, in binding order. */
function subjectsStrings(subjects: readonly Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(kind: 'roleBinding' | 'clusterRoleBinding', roleRefDoc: string): Printer {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', roleRefDoc),
      ageColumn,
      wideColumn('Users', 'string', `Users in the ${kind}`),
      wideColumn('Groups', 'string', `Groups in the ${kind}`),
      wideColumn('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`),
    ],
    cells(obj: KubeObject, now: Date): unknown[] {
      const b = obj as unknown as RoleBinding;
      return [
        obj.metadata.name ?? '',
        `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        ...subjectsStrings(b.subjects),
      ];
    },
  };
}

export const roleBindingPrinter: Printer = bindingPrinter('roleBinding',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.');
export const clusterRoleBindingPrinter: Printer = bindingPrinter('clusterRoleBinding',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.');
