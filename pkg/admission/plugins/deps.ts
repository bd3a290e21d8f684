/** What admission plugins may use: the registry's stores and their caches (upstream: informers and clients). */
import type { Registry } from '../../registry/registry.ts';
import type { AuthorizerChain } from '../../auth/authorization/index.ts';

export interface AdmissionDeps {
  registry: Registry;
  now: () => Date;
  /** The apiserver's authorizer chain, for plugins that check a verb (CertificateApproval's `approve`). */
  authorizer: AuthorizerChain;
}
