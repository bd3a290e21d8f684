/**
 * REST objects: resources and subresources answered by code instead of the generic store
 * (k8s.io/apiserver/pkg/registry/rest Creater, Getter/Lister, ResourceStreamer) — access reviews,
 * token reviews, TokenRequest, pods/log, metrics.k8s.io. The apiserver registers them with the
 * registry by resource key ("selfsubjectaccessreviews.authorization.k8s.io", or "pods/log" for a
 * subresource).
 */
import type { Readable } from 'node:stream';
import type { KubeList, KubeObject } from '../api/index.ts';
import type { AdmissionHooks } from '../admission/types.ts';
import type { UserInfo } from '../auth/user.ts';

export interface RestContext {
  user: UserInfo;
  /** The request's namespace ('' for cluster-scoped paths). */
  namespace: string;
  /** The parent object's name for a subresource; '' otherwise. */
  name: string;
  dryRun: boolean;
  admission: AdmissionHooks;
}

export interface RestCreater {
  create(ctx: RestContext, obj: KubeObject): Promise<KubeObject>;
}

/** What a read (get, list, or a streamed get) sees of its request. */
export interface RestReadContext {
  user: UserInfo;
  /** The request's namespace ('' for cluster-scoped paths and lists across namespaces). */
  namespace: string;
  /** The object's name ('' for a list); the parent's name for a subresource. */
  name: string;
  /** The request's query parameters (options such as PodLogOptions, selectors). */
  query: URLSearchParams;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/** A body of bytes to copy to the client (rest.ResourceStreamer's InputStream). */
export interface ResourceStream {
  contentType: string;
  body: Readable;
}

/**
 * GET answered with a stream (pods/log). Throws a StatusError before any byte is sent; the stream
 * ends when its source does, and is destroyed by the caller when the client leaves.
 */
export interface RestStreamer {
  stream(ctx: RestReadContext): Promise<ResourceStream>;
}

/** get and list computed per request (metrics.k8s.io). */
export interface RestReader {
  get(ctx: RestReadContext): Promise<KubeObject>;
  list(ctx: RestReadContext): Promise<KubeList>;
}

/** What answers GETs: a stream or computed objects. */
export type RestReadable = RestStreamer | RestReader;

export type RestObject = RestCreater | RestReadable;

export function isRestCreater(rest: RestObject): rest is RestCreater {
  return 'create' in rest;
}

export function isRestStreamer(rest: RestObject): rest is RestStreamer {
  return 'stream' in rest;
}

/** "selfsubjectaccessreviews.authorization.k8s.io" or "serviceaccounts/token". */
export function restKey(resourceKey: string, subresource = ''): string {
  return subresource ? `${resourceKey}/${subresource}` : resourceKey;
}
