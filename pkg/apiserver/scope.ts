/** What every verb handler receives: the request's resource, its store, and request parameters. */
import type { Request, Response } from 'express';
import * as apierrors from '../apierrors/index.ts';
import type { ResourceEntry } from '../resources/index.ts';
import type { GenericStore } from '../registry/generic/store.ts';
import type { RequestInfo } from './request-info.ts';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface RequestScope {
  req: Request;
  res: Response;
  info: RequestInfo;
  entry: ResourceEntry;
  store: GenericStore;
  query: URLSearchParams;
  user: UserInfo;
  now: () => Date;
  /** Watch bookmark period; the real server sends one about every minute. */
  bookmarkIntervalMs: number;
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const optionsKinds: Record<string, string> = {
  create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', delete: 'DeleteOptions', deletecollection: 'DeleteOptions',
};

/**
 * Whether the write is a dry run. "All" is the only value Kubernetes accepts; anything else is the
 * 422 that ValidateDryRun gives on the verb's options kind (CreateOptions, PatchOptions, …).
 */
export function isDryRun(scope: Pick<RequestScope, 'query' | 'info'>, extra: unknown[] = []): boolean {
  const values = [...scope.query.getAll('dryRun'), ...extra.map(String)];
  const bad = values.filter((v) => v !== 'All');
  if (bad.length > 0) {
    const rendered = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
    throw apierrors.invalid('meta.k8s.io', optionsKinds[scope.info.verb] ?? 'CreateOptions', '', [
      { type: 'FieldValueNotSupported', field: 'dryRun', detail: `Unsupported value: ${rendered}: supported values: "All"` },
    ]);
  }
  return values.length > 0;
}
