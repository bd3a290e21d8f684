/** What every verb handler receives: the request's resource, its store, and request parameters. */
import type { Request, Response } from 'express';
import type { ResourceEntry } from '../resources/index.ts';
import type { GenericStore } from '../registry/generic/store.ts';
import type { RequestInfo } from './request-info.ts';
import type { UserInfo } from '../auth/user.ts';
import type { AdmissionHooks } from '../admission/types.ts';

export type { UserInfo } from '../auth/user.ts';

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
  /** The admission hooks for a write of the object named `name` (as the request carried it). */
  admission(name: string, dryRun: boolean): AdmissionHooks;
}
