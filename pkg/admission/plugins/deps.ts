/** What admission plugins may use: the registry's stores and their caches (upstream: informers and clients). */
import type { Registry } from '../../registry/registry.ts';

export interface AdmissionDeps {
  registry: Registry;
  now: () => Date;
}
