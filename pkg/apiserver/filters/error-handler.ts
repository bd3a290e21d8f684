/**
 * The only code that writes an error body. A StatusError becomes its Status; anything else is
 * logged once with its stack and answered as a 500 InternalError.
 */
import type { NextFunction, Request, Response } from 'express';
import * as apierrors from '../../apierrors/index.ts';
import { logger } from '../../util/log.ts';

const log = logger('kube-apiserver');

export function writeError(err: unknown, req: Request, res: Response): void {
  let status: apierrors.StatusError;
  if (apierrors.isStatusError(err)) {
    status = err;
  } else if (isBodyParserTooLarge(err)) {
    status = apierrors.requestEntityTooLarge(3 * 1024 * 1024);
  } else {
    log.error('unhandled error', { path: req.path, method: req.method, error: err instanceof Error ? err.stack : String(err) });
    status = apierrors.internalError(err instanceof Error ? err.message : String(err));
  }
  if (res.headersSent) {
    // A stream already started (watch): send the error as an ERROR event and end it.
    if (!res.writableEnded) res.end(`{"type":"ERROR","object":${JSON.stringify(statusBody(status))}}\n`);
    return;
  }
  const body = statusBody(status);
  res.locals.responseStatus = body; // for the audit filter
  res.status(status.code);
  res.setHeader('Content-Type', 'application/json');
  if (status.code === 429 && status.details?.retryAfterSeconds) res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
  res.end(JSON.stringify(body));
}

/**
 * The Status as the real server serialises it: fields in metav1.Status order, and `details: {}`
 * kept when the error has details with nothing in them (404 for an unknown path, 405), since
 * Go's omitempty drops only a nil pointer. StatusError.toStatus drops empty details.
 */
export function statusBody(status: apierrors.StatusError): Record<string, unknown> {
  const { kind, apiVersion, metadata, status: outcome, message, reason, details, code } = status.toStatus();
  const body: Record<string, unknown> = { kind, apiVersion, metadata, status: outcome, message };
  if (reason) body.reason = reason;
  if (details) body.details = details;
  else if (status.details) body.details = {};
  body.code = code;
  return body;
}

function isBodyParserTooLarge(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
}

export function errorMiddleware(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  writeError(err, req, res);
}
