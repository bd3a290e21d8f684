/**
 * The audit filter (k8s.io/apiserver/pkg/endpoints/filters/audit.go): every request gets an
 * Audit-Id; when the policy gives it a level other than None, its RequestReceived and
 * ResponseComplete events go to the backend once the response is done. What the later filters
 * learn (user, impersonation, authorization decision, error Status) reaches it through res.locals.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { auditUser, evaluatePolicy, microTime, type AuditBackend, type AuditEvent, type AuditPolicy, type AuditStage } from '../../audit/index.ts';
import type { UserInfo } from '../../auth/user.ts';
import { parseRequestInfo, queryOf, type RequestInfo } from '../request-info.ts';

export interface AuditConfig {
  policy: AuditPolicy;
  backend: AuditBackend;
}

/** What later filters leave for the audit filter. */
export interface AuditLocals {
  user?: UserInfo;
  /** The authenticated user when the request impersonates another (res.locals.user). */
  authenticatedUser?: UserInfo;
  authorization?: { decision: string; reason: string };
  /** The Status body of an error answer. */
  responseStatus?: Record<string, unknown>;
}

function requestInfoOf(req: Request): RequestInfo | undefined {
  try {
    return parseRequestInfo(req.method, req.path, queryOf(req.originalUrl));
  } catch {
    return undefined;
  }
}

function objectRef(info: RequestInfo): AuditEvent['objectRef'] {
  if (!info.isResourceRequest) return undefined;
  const ref: NonNullable<AuditEvent['objectRef']> = { resource: info.resource };
  if (info.namespace) ref.namespace = info.namespace;
  if (info.name) ref.name = info.name;
  if (info.apiGroup) ref.apiGroup = info.apiGroup;
  ref.apiVersion = info.apiVersion;
  if (info.subresource) ref.subresource = info.subresource;
  return ref;
}

export function auditMiddleware(cfg: AuditConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const auditID = randomUUID();
    const received = new Date();
    res.setHeader('Audit-Id', auditID);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const locals = res.locals as AuditLocals;
      const info = requestInfoOf(req);
      const user = locals.authenticatedUser ?? locals.user ?? { username: '', groups: [] };
      const verb = info?.isResourceRequest ? info.verb : req.method.toLowerCase();
      const { level, omitStages } = evaluatePolicy(cfg.policy, {
        username: user.username, groups: user.groups, verb, isResourceRequest: info?.isResourceRequest ?? false,
        path: req.path, apiGroup: info?.apiGroup ?? '', resource: info?.resource ?? '', subresource: info?.subresource ?? '',
        namespace: info?.namespace ?? '', name: info?.name ?? '',
      });
      if (level === 'None') return;
      const base: Omit<AuditEvent, 'stage' | 'stageTimestamp'> = {
        kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID, requestURI: req.originalUrl, verb,
        user: auditUser(user), sourceIPs: [req.socket.remoteAddress ?? ''],
        requestReceivedTimestamp: microTime(received),
      };
      if (locals.authenticatedUser && locals.user) base.impersonatedUser = auditUser(locals.user);
      const ua = req.headers['user-agent'];
      if (ua) base.userAgent = ua;
      const ref = info && objectRef(info);
      if (ref) base.objectRef = ref;
      const emit = (stage: AuditStage, extra: Partial<AuditEvent>, at: Date): void => {
        if (omitStages.includes(stage)) return;
        cfg.backend.write({ ...base, stage, stageTimestamp: microTime(at), ...extra });
      };
      const annotations: Record<string, string> = {};
      if (locals.authorization) {
        annotations['authorization.k8s.io/decision'] = locals.authorization.decision === 'Allow' ? 'allow' : 'forbid';
        annotations['authorization.k8s.io/reason'] = locals.authorization.reason;
      }
      emit('RequestReceived', {}, received);
      const responseStatus = locals.responseStatus
        ? { metadata: {}, ...withoutTypeMeta(locals.responseStatus) }
        : { metadata: {}, code: res.statusCode };
      emit('ResponseComplete', { responseStatus, ...(Object.keys(annotations).length ? { annotations } : {}) }, new Date());
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  };
}

function withoutTypeMeta(status: Record<string, unknown>): Record<string, unknown> {
  const { kind: _k, apiVersion: _a, metadata: _m, ...rest } = status;
  return rest;
}
