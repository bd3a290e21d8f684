/**
 * csrsigning (pkg/controller/certificates/signer): approved CertificateSigningRequests of the
 * built-in kubernetes.io signers get a certificate from the cluster CA, written through /status.
 * A request the signer's policy refuses gets a Failed condition instead; requests that are pending,
 * denied, failed, already issued or for other signers are left alone.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { ApiError, type RestClient } from '../../client/rest-client.ts';
import type { SharedIndexInformer } from '../../client/informers/index.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { parseCertificateRequestPem } from '../../registry/certificates/request.ts';
import { logger } from '../../util/log.ts';
import { runWorkers } from '../controller.ts';
import { signCertificate, type CertificateAuthority } from './authority.ts';
import { signerPolicies } from './signer-policy.ts';

const log = logger('kube-controller-manager');
const controllerName = 'csrsigning';
const minDurationMs = 10 * 60 * 1000;

type Csr = CertificateSigningRequest & { metadata: NonNullable<CertificateSigningRequest['metadata']> };

export interface CsrSigningDeps {
  client: RestClient;
  csrs: SharedIndexInformer<Csr>;
  ca: CertificateAuthority;
  /** --cluster-signing-duration: the longest lifetime issued. */
  maxDurationMs: number;
  now?: () => Date;
  workers?: number;
}

const hasTrue = (csr: Csr, type: string) => (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** signer.duration: the requested lifetime, capped at the configured one, at least ten minutes. */
export function certificateDurationMs(expirationSeconds: number | undefined, maxDurationMs: number): number {
  if (expirationSeconds === undefined) return maxDurationMs;
  const requested = expirationSeconds * 1000;
  if (requested > maxDurationMs) return maxDurationMs;
  return Math.max(requested, minDurationMs);
}

export function newCsrSigningController(deps: CsrSigningDeps) {
  const queue = new WorkQueue(5, 30_000);
  const { client, csrs } = deps;
  const now = deps.now ?? (() => new Date());
  const enqueue = (csr: Csr) => { if (csr.metadata.name) queue.add(csr.metadata.name); };
  csrs.addEventHandler({ onAdd: enqueue, onUpdate: (_old, csr) => enqueue(csr) });

  async function updateStatus(csr: Csr, status: NonNullable<Csr['status']>): Promise<void> {
    const body = { ...structuredClone(csr), status };
    try {
      await client.request('PUT', `/apis/certificates.k8s.io/v1/certificatesigningrequests/${encodeURIComponent(csr.metadata.name ?? '')}/status`, body);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
  }

  async function sync(name: string): Promise<void> {
    const csr = csrs.lister.get('', name);
    if (!csr || csr.status?.certificate) return;
    if (!hasTrue(csr, 'Approved') || hasTrue(csr, 'Failed')) return;
    const signerName = csr.spec?.signerName ?? '';
    const policy = signerPolicies[signerName];
    if (!policy) return;
    let req;
    try {
      req = parseCertificateRequestPem(Buffer.from(csr.spec?.request ?? '', 'base64'));
    } catch (err) {
      throw new Error(`unable to parse csr "${name}": ${String(err instanceof Error ? err.message : err)}`);
    }
    const usages = csr.spec?.usages ?? [];
    const refusal = policy(req, usages);
    if (refusal !== undefined) {
      const failed = {
        type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: refusal,
        lastUpdateTime: `${now().toISOString().slice(0, 19)}Z`,
      };
      await updateStatus(csr, { ...csr.status, conditions: [...(csr.status?.conditions ?? []), failed] });
      log.info('refused certificate signing request', { controller: controllerName, name, signerName, reason: refusal });
      return;
    }
    const pem = signCertificate(deps.ca, req, {
      usages, ttlMs: certificateDurationMs(csr.spec?.expirationSeconds, deps.maxDurationMs), now: now(),
    });
    await updateStatus(csr, { ...csr.status, certificate: Buffer.from(pem).toString('base64') });
    log.info('issued certificate', { controller: controllerName, name, signerName });
  }

  return {
    sync,
    async run(signal: AbortSignal): Promise<void> {
      if (!(await csrs.whenSynced(signal))) return;
      await runWorkers(controllerName, queue, sync, log, deps.workers ?? 5, signal);
    },
  };
}
