/**
 * POST to a resource or subresource served by a REST object (reviews, serviceaccounts/token):
 * decode the body as the kind the path takes, hand it to the REST object, answer 201 with what it
 * returns. These kinds have no Table form, so a Table-only Accept is 406.
 */
import type { RestCreater } from '../../registry/rest.ts';
import type { AdmissionHooks } from '../../admission/types.ts';
import { mediaType, readRawBody } from '../body.ts';
import { decodeBodyAs } from '../decode-object.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import { writeOptionsOf } from '../request-options.ts';
import type { RestReadScope } from './rest-read.ts';

export interface RestCreateScope extends RestReadScope {
  /** group/version/kind the body must be. */
  kind: { group: string; version: string; kind: string };
  admission(name: string, dryRun: boolean): AdmissionHooks;
}

export async function handleRestCreate(scope: RestCreateScope, rest: RestCreater): Promise<void> {
  const choice = negotiate(scope.req.headers.accept);
  const raw = await readRawBody(scope.req);
  const opts = writeOptionsOf(scope.query, 'CreateOptions');
  const { object } = decodeBodyAs(scope.entry, raw, mediaType(scope.req), opts.fieldValidation, scope.kind);
  const name = scope.info.subresource ? scope.info.name : (object.metadata?.name ?? '');
  const out = await rest.create({
    user: scope.user, namespace: scope.info.namespace, name: scope.info.subresource ? scope.info.name : '',
    dryRun: opts.dryRun, admission: scope.admission(name, opts.dryRun),
  }, object);
  writeObject(scope.res, 201, out, choice);
}
