/**
 * Builds the Express app: the filter chain (request info → authentication → impersonation →
 * authorization), non-resource endpoints (version, health, discovery, OpenAPI) and one dispatcher
 * that routes every resource request through the resource table to the shared verb handlers, which
 * pass the request's admission to the store.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import type { Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import * as apierrors from '../apierrors/index.ts';
import { findResource, type ResourceEntry } from '../resources/index.ts';
import type { Registry } from '../registry/registry.ts';
import { openapiV2Protobuf, openapiV2ProtobufContentType, openapiV2ProtobufMediaType, openapiV2Serialized, openapiV3Root, openapiV3Serialized } from '../openapi/index.ts';
import { parseRequestInfo, queryOf, type RequestInfo } from './request-info.ts';
import { errorMiddleware, writeError } from './filters/error-handler.ts';
import { authenticationChain, type Authenticator } from '../auth/authentication/index.ts';
import { alwaysAllowAuthorizer, attributesOf, authorizerChain, forbiddenError, type AuthorizerChain } from '../auth/authorization/index.ts';
import type { UserInfo } from '../auth/user.ts';
import { AdmissionChain } from '../admission/index.ts';
import { aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';
import { negotiate, writeObject } from './negotiation.ts';
import type { RequestScope } from './scope.ts';
import { handleGet, handleList } from './handlers/read.ts';
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.ts';
import { handleDelete, handleDeleteCollection } from './handlers/delete.ts';
import { handleWatch } from './handlers/watch.ts';
import { handleBinding, handleScale } from './handlers/subresources.ts';
import { handleRestCreate } from './handlers/rest-create.ts';
import { handleRestRead } from './handlers/rest-read.ts';
import { isRestCreater } from '../registry/rest.ts';
import { auditMiddleware, type AuditConfig, type AuditLocals } from './filters/audit.ts';
import { versionInfo } from './version.ts';
import { installHealthEndpoints } from './health.ts';

export interface ServerConfig {
  registry: Registry;
  authenticators: Authenticator[];
  /** Requests without credentials become system:anonymous (--anonymous-auth); else 401. */
  anonymous?: boolean;
  /**
   * Swaps the authenticated user for the one a request impersonates (Impersonate-* headers),
   * after checking the `impersonate` verb; absent, the headers are ignored.
   */
  impersonate?: (req: Request, user: UserInfo, authorizer: AuthorizerChain) => Promise<UserInfo>;
  /** The authorizers in order (authorizerChain); default: AlwaysAllow. */
  authorizer?: AuthorizerChain;
  /** The admission plugins every write passes; none when absent. */
  admission?: AdmissionChain;
  /** Audit policy and backend (--audit-policy-file, --audit-log-path); no auditing when absent. */
  audit?: AuditConfig;
  /** host:port clients should use, reported by /api. */
  advertiseAddress: string;
  now?: () => Date;
  bookmarkIntervalMs?: number;
  /** Readiness: resolves true when storage answers. */
  storageHealthy: () => Promise<boolean>;
}

type Handler = (scope: RequestScope) => Promise<void>;

const verbHandlers: Record<string, Handler> = {
  get: handleGet, list: handleList, create: handleCreate, update: handleUpdate, patch: handlePatch,
  delete: handleDelete, deletecollection: handleDeleteCollection, watch: handleWatch,
};

/** Verbs a subresource request maps to, and what they require of the subresource's verb list. */
function subresourceVerb(verb: string): string {
  return verb === 'list' ? 'get' : verb;
}

const aggregatedTypes = ['v2', 'v2beta1'];

function discoveryChoice(req: Request) {
  return negotiate(req.headers.accept, (c) => c.as === 'APIGroupDiscoveryList' && c.group === 'apidiscovery.k8s.io'
    && aggregatedTypes.includes(c.version ?? '') && c.encoding !== 'protobuf');
}

export function buildApp(cfg: ServerConfig): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const now = cfg.now ?? (() => new Date());
  if (cfg.audit) app.use(auditMiddleware(cfg.audit));

  const authentication = authenticationChain(cfg.authenticators, cfg.anonymous ?? false);
  const authorizer = cfg.authorizer ?? authorizerChain([alwaysAllowAuthorizer]);
  const admission = cfg.admission ?? new AdmissionChain([]);
  /** Authentication, then impersonation: the user every later step sees. */
  const authenticate = async (req: Request): Promise<UserInfo> => {
    const user = await authentication.authenticate(req);
    const effective = cfg.impersonate ? await cfg.impersonate(req, user, authorizer) : user;
    if (effective !== user && req.res) (req.res.locals as AuditLocals).authenticatedUser = user;
    return effective;
  };
  const authorize = async (req: Request, user: UserInfo, info: RequestInfo): Promise<void> => {
    const attrs = attributesOf(user, info, req.method, info.isResourceRequest ? queryOf(req.originalUrl) : undefined);
    const { decision, reason } = await authorizer.authorize(attrs);
    if (req.res) (req.res.locals as AuditLocals).authorization = { decision, reason };
    if (decision !== 'Allow') throw forbiddenError(attrs, reason);
  };
  const serveResource = async (req: Request, res: Response, info: RequestInfo, query: URLSearchParams, user: UserInfo): Promise<void> => {
    const entry = findResource(info.apiGroup, info.apiVersion, info.resource);
    if (!entry) throw apierrors.pathNotFound();
    const admissionFor = (name: string, dryRun: boolean) => admission.hooksFor({
      entry, subresource: info.subresource, namespace: info.namespace, name, user, dryRun,
    });
    if (await serveRest(req, res, info, entry, query, user, admissionFor)) return;
    const scope: RequestScope = {
      req, res, info, entry, store: cfg.registry.store(entry), query, user,
      now, bookmarkIntervalMs: cfg.bookmarkIntervalMs ?? 60_000,
      admission: admissionFor,
    };
    await dispatch(scope, cfg.registry);
  };

  /** Requests answered by a REST object (reviews, metrics, token and log subresources); false when none serves it. */
  const serveRest = async (req: Request, res: Response, info: RequestInfo, entry: ResourceEntry, query: URLSearchParams,
    user: UserInfo, admissionFor: RequestScope['admission']): Promise<boolean> => {
    const sub = info.subresource ? entry.subresources.find((s) => s.name === info.subresource) : undefined;
    if (info.subresource && (!sub || info.parts.length > 3)) return false;
    const rest = cfg.registry.rest(entry, info.subresource);
    if (!rest) {
      if (!entry.stored) throw apierrors.pathNotFound();
      return false;
    }
    if (entry.namespaced === false && info.namespace) throw apierrors.pathNotFound();
    if (!isRestCreater(rest)) {
      await handleRestRead({ req, res, info, entry, query, user }, rest);
      return true;
    }
    if (!sub && (info.name || (entry.namespaced && !info.namespace))) throw apierrors.pathNotFound();
    if (info.verb !== 'create') throw apierrors.methodNotAllowed();
    const kind = sub ? { group: sub.group ?? entry.group, version: sub.version ?? entry.version, kind: sub.kind || entry.kind } : entry;
    await handleRestCreate({ req, res, info, entry, query, user, kind, admission: admissionFor }, rest);
    return true;
  };

  // Resource requests (nearly all traffic) go first, past every route below: none of those routes
  // can match a resource path, so authenticating and dispatching here answers exactly as the full
  // chain would, without its per-request route matching.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    if (!path.startsWith('/api/') && !path.startsWith('/apis/')) { next(); return; }
    const query = queryOf(req.originalUrl);
    let info: RequestInfo;
    try {
      info = parseRequestInfo(req.method, path, query);
    } catch {
      next(); // e.g. bad %-escapes: the full chain authenticates first, then fails the same way
      return;
    }
    if (!info.isResourceRequest) { next(); return; }
    try {
      const user = await authenticate(req);
      res.locals.user = user;
      await authorize(req, user, info);
      await serveResource(req, res, info, query, user);
    } catch (err) {
      writeError(err, req, res);
    }
  });

  installHealthEndpoints(app, cfg.storageHealthy);

  // Authentication and authorization guard everything below (the health endpoints above are open,
  // as the bootstrap policy's system:public-info-viewer makes them on a default cluster).
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const user = await authenticate(req);
      res.locals.user = user;
      await authorize(req, user, requestInfoOrPath(req));
      next();
    } catch (err) {
      writeError(err, req, res);
    }
  });

  app.get('/version', (_req, res) => { res.json(versionInfo); });
  // kubectl fetches v2 as gnostic protobuf; everyone else gets JSON. Both are built once.
  app.get('/openapi/v2', (req, res) => {
    const wantsProto = String(req.headers.accept ?? '').includes(openapiV2ProtobufMediaType);
    const doc = wantsProto ? openapiV2Protobuf() : openapiV2Serialized();
    res.setHeader('Content-Type', wantsProto ? openapiV2ProtobufContentType : 'application/json');
    res.setHeader('ETag', `"${doc.hash}"`);
    res.status(200).end(doc.body);
  });
  app.get('/openapi/v3', (_req, res) => { res.json(openapiV3Root()); });
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res, next) => {
    const doc = openapiV3Serialized(req.path.slice('/openapi/v3/'.length));
    if (!doc) { next(); return; }
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('ETag', `"${doc.hash}"`);
    res.setHeader('Cache-Control', req.query.hash ? 'public, immutable' : 'no-cache, private');
    res.status(200).end(doc.body);
  });

  app.get(['/api', '/api/'], (req, res) => {
    const choice = discoveryChoice(req);
    if (choice.as) writeObject(res, 200, aggregatedDiscovery(true, `apidiscovery.k8s.io/${choice.version}`), choice);
    else writeObject(res, 200, apiVersions(cfg.advertiseAddress), choice);
  });
  app.get(['/apis', '/apis/'], (req, res) => {
    const choice = discoveryChoice(req);
    if (choice.as) writeObject(res, 200, aggregatedDiscovery(false, `apidiscovery.k8s.io/${choice.version}`), choice);
    else writeObject(res, 200, apiGroupList(), choice);
  });
  app.get(['/api/v1', '/api/v1/'], (req, res) => {
    writeObject(res, 200, apiResourceList('', 'v1'), negotiate(req.headers.accept));
  });
  app.get(/^\/apis\/([^/]+)\/?$/, (req, res, next) => {
    const doc = apiGroupDocument(req.path.split('/')[2]!);
    if (!doc) { next(); return; }
    writeObject(res, 200, doc, negotiate(req.headers.accept));
  });
  app.get(/^\/apis\/([^/]+)\/([^/]+)\/?$/, (req, res, next) => {
    const [, , group, version] = req.path.split('/');
    const doc = apiResourceList(group!, version!);
    if (!doc) { next(); return; }
    writeObject(res, 200, doc, negotiate(req.headers.accept));
  });

  // Resource paths the fast path above did not recognise by prefix (e.g. `//api/v1/pods`).
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const query = queryOf(req.originalUrl);
    const info = parseRequestInfo(req.method, req.path, query);
    if (!info.isResourceRequest) { next(); return; }
    await serveResource(req, res, info, query, res.locals.user as UserInfo);
  });

  app.use((req: Request, res: Response) => {
    if (req.path.startsWith('/api/') || req.path.startsWith('/apis/') || req.path.startsWith('/openapi/')) {
      writeError(apierrors.pathNotFound(), req, res);
      return;
    }
    res.status(404).type('text/plain').end('404 page not found\n');
  });
  app.use(errorMiddleware);
  return app;
}

/** The request's info; a path that does not parse (bad %-escapes) is authorized as a plain path. */
function requestInfoOrPath(req: Request): RequestInfo {
  try {
    return parseRequestInfo(req.method, req.path, queryOf(req.originalUrl));
  } catch {
    return { ...parseRequestInfo(req.method, '/', new URLSearchParams()), path: req.path };
  }
}

async function dispatch(scope: RequestScope, registry: Registry): Promise<void> {
  const { info, entry } = scope;
  if (entry.namespaced === false && info.namespace && entry.plural !== 'namespaces') throw apierrors.pathNotFound();
  if (info.subresource) {
    const sub = entry.subresources.find((s) => s.name === info.subresource);
    if (!sub || info.parts.length > 3) throw apierrors.pathNotFound();
    if (!(sub.verbs as readonly string[]).includes(subresourceVerb(info.verb))) throw apierrors.methodNotAllowed();
    if (sub.kind === 'Scale') return handleScale(scope);
    if (sub.kind === 'Binding') return handleBinding(scope, scope.store);
    if (sub.name === 'status' || sub.kind === entry.kind) {
      const handler = verbHandlers[info.verb === 'list' ? 'get' : info.verb];
      if (!handler) throw apierrors.methodNotAllowed();
      return handler(scope);
    }
    throw apierrors.methodNotAllowed();
  }
  // go-restful answers 404 when no route has the path at all, 405 when the path exists for other
  // methods: a named path exists only for kinds with an item verb (bindings has none).
  if (info.name && !itemVerbs.some((v) => allowed(entry, v))) throw apierrors.pathNotFound();
  // The item path has no POST, and the collection path no PUT or PATCH.
  if (info.name && info.verb === 'create') throw apierrors.methodNotAllowed();
  if (!info.name && (info.verb === 'update' || info.verb === 'patch')) throw apierrors.methodNotAllowed();
  if (!allowed(entry, info.verb)) throw apierrors.methodNotAllowed();
  if (entry.kind === 'Binding') return handleBinding(scope, registry.store({ group: '', plural: 'pods' }));
  if (info.parts.length > 2) throw apierrors.pathNotFound();
  const handler = verbHandlers[info.verb];
  if (!handler) throw apierrors.methodNotAllowed();
  return handler(scope);
}

const itemVerbs = ['get', 'update', 'patch', 'delete'];

function allowed(entry: ResourceEntry, verb: string): boolean {
  return (entry.verbs as readonly string[]).includes(verb);
}

/**
 * Node's limit on a request's line and headers, raised from its 16 KiB default to what clients
 * of kube-apiserver get: secure_serving.go gives Go's http.Server MaxHeaderBytes 1 << 20, and Go
 * reads up to that plus 4096 bytes (initialReadLimitSize) before refusing. Node counts the URL,
 * header names and values, Go the raw bytes; the two agree to within the separators.
 */
export const maxHeaderBytes = (1 << 20) + 4096;

/** Options for http.createServer / https.createServer that every apiserver listener uses. */
export const listenerOptions = { maxHeaderSize: maxHeaderBytes } as const;

/**
 * What Go's net/http (conn.serve) writes itself, before any handler, for a request head over the
 * limit: a plain-text 431, not a Status. It then closes its side and waits 500 ms
 * (closeWriteAndWait) so the client can read the reply before the connection goes.
 */
const goHeaderTooLarge = 'HTTP/1.1 431 Request Header Fields Too Large\r\n'
  + 'Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n'
  + '431 Request Header Fields Too Large';
const closeWriteWaitMs = 500;

/**
 * Answers request heads over the limit as Go does. Other parse errors keep Node's own answer
 * (a listener replaces Node's default handling, so it is repeated here for them).
 */
export function installClientErrorHandler(server: HttpServer): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    const canReply = socket.writable && !inFlight?.headersSent;
    if (err.code === 'HPE_HEADER_OVERFLOW' && canReply) {
      socket.on('error', () => undefined);
      socket.end(goHeaderTooLarge);
      socket.resume();
      setTimeout(() => socket.destroy(), closeWriteWaitMs).unref();
      return;
    }
    if (canReply) socket.write(nodeErrorResponse(err.code));
    socket.destroy(err);
  });
}

/** Node's default replies (lib/_http_server.js socketOnError). */
function nodeErrorResponse(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW': return 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW': return 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';
    case 'ERR_HTTP_REQUEST_TIMEOUT': return 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
    default: return 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
  }
}
