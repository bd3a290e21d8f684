/** What every verb handler receives: the request's resource, its store, and request parameters. */
import type { Request, Response } from 'express';
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

/** dryRun=All is the only value Kubernetes accepts. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  return values.includes('All');
}
