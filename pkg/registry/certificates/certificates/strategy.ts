/**
 * CertificateSigningRequest strategy, after pkg/registry/certificates/certificates/strategy.go.
 * The requester's identity is recorded on create and nobody can pre-approve; the spec never
 * changes after creation (updates silently keep the stored one); /status sets the certificate and
 * signer conditions but keeps Approved/Denied; /approval changes conditions only.
 */
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1.js';
import type { KubeObject } from '../../../api/index.ts';
import { keepSystemMeta } from '../../generic/object-meta.ts';
import type { Strategy, StrategyContext } from '../../generic/strategy.ts';
import { validateCsr, validateCsrUpdate, validationOptions } from './validation.ts';

type Csr = CertificateSigningRequest;
const asCsr = (obj: KubeObject): Csr => obj as unknown as Csr;

function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** metav1.Time as stored: whole seconds, RFC 3339 UTC. */
function timestamp(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** populateConditionTimestamps: lastUpdateTime now when unset; lastTransitionTime kept from the same type+status. */
function populateConditionTimestamps(csr: Csr, old: Csr, now: Date): void {
  const ts = timestamp(now);
  for (const c of csr.status?.conditions ?? []) {
    if (!c.lastUpdateTime) c.lastUpdateTime = ts;
    if (!c.lastTransitionTime) {
      const prior = (old.status?.conditions ?? []).find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      c.lastTransitionTime = prior?.lastTransitionTime ?? ts;
    }
  }
}

/** preserveConditionInstances: same number of `type` conditions as before → the old values win. */
function preserveConditionInstances(csr: Csr, old: Csr, type: string): void {
  const conds = csr.status?.conditions ?? [];
  const oldConds = (old.status?.conditions ?? []).filter((c) => c.type === type);
  const indices = conds.flatMap((c, i) => (c.type === type ? [i] : []));
  if (indices.length !== oldConds.length) return;
  indices.forEach((idx, i) => { conds[idx] = deepCopy(oldConds[i]!); });
}

function prepareForCreate(obj: KubeObject, ctx: StrategyContext): void {
  const csr = asCsr(obj);
  const spec = (csr.spec ?? {}) as Csr['spec'];
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  if (ctx.user) {
    if (ctx.user.username) spec.username = ctx.user.username;
    if (ctx.user.uid) spec.uid = ctx.user.uid;
    if (ctx.user.groups.length > 0) spec.groups = [...ctx.user.groups];
    const extra = ctx.user.extra;
    if (extra && Object.keys(extra).length > 0) spec.extra = deepCopy(extra);
  }
  csr.spec = spec;
  // Users cannot create pre-approved requests.
  csr.status = {};
}

export const certificateSigningRequestStrategy: Strategy = {
  prepareForCreate,
  prepareForUpdate(obj, old) {
    const csr = asCsr(obj);
    csr.spec = deepCopy(asCsr(old).spec);
    if (old.status === undefined) delete csr.status; else csr.status = deepCopy(asCsr(old).status);
  },
  validate: (obj) => validateCsr(asCsr(obj), validationOptions(asCsr(obj), undefined)),
  validateUpdate: (obj, old) => validateCsrUpdate(asCsr(obj), asCsr(old), validationOptions(asCsr(obj), asCsr(old))),
  getAttrs: (obj) => ({ 'spec.signerName': asCsr(obj).spec?.signerName ?? '' }),
  status: {
    prepareForUpdate(obj, old, ctx) {
      const csr = asCsr(obj);
      const prev = asCsr(old);
      csr.spec = deepCopy(prev.spec);
      preserveConditionInstances(csr, prev, 'Approved');
      preserveConditionInstances(csr, prev, 'Denied');
      populateConditionTimestamps(csr, prev, ctx.now);
    },
    validateUpdate: (obj, old) => validateCsrUpdate(asCsr(obj), asCsr(old),
      { ...validationOptions(asCsr(obj), asCsr(old)), allowSettingCertificate: true }),
  },
  subresources: {
    approval: {
      // Metadata and conditions come from the request; spec and the certificate from storage.
      fromRequest(desired, current) {
        const conds = (asCsr(desired).status?.conditions ?? undefined) as CertificateSigningRequestCondition[] | undefined;
        const obj: KubeObject = { ...desired, spec: current.spec, status: { ...(current.status as object) } };
        keepSystemMeta(obj, current);
        const status = asCsr(obj).status!;
        if (conds === undefined) delete status.conditions; else status.conditions = conds;
        return obj;
      },
      prepareForUpdate(obj, old, ctx) {
        populateConditionTimestamps(asCsr(obj), asCsr(old), ctx.now);
      },
      validateUpdate: (obj, old) => validateCsrUpdate(asCsr(obj), asCsr(old),
        { ...validationOptions(asCsr(obj), asCsr(old)), allowSettingApprovalConditions: true }),
    },
  },
};
