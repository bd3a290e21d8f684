/**
 * A vitest `globalSetup` module: starts one etcd and one set of certificates before any test file
 * runs and hands them to every worker through the environment (ETCD_ENDPOINTS, KUBE_TS_PKI_DIR), so
 * all test clusters of the run share them, each under its own key prefix. Stops them after the run.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { globalSetup: ['node_modules/kube-ts/pkg/testenv/vitest-global-setup.ts'] } });
 *
 * An etcd already named by ETCD_ENDPOINTS is used as it is and not stopped.
 */
import { etcdEndpointsEnv, parseEndpoints, pkiDirEnv, startEnvironment } from './shared-environment.ts';

let stopOwn: (() => Promise<void>) | undefined;

/** Starts the shared etcd (`etcdMembers`, default 1) unless ETCD_ENDPOINTS names one. */
export async function setupEnvironment(etcdMembers = 1): Promise<void> {
  if (parseEndpoints(process.env[etcdEndpointsEnv]).length > 0) return;
  const env = await startEnvironment({ etcdMembers });
  // Workers are started after globalSetup, so they inherit these.
  process.env[etcdEndpointsEnv] = env.etcdEndpoints.join(',');
  process.env[pkiDirEnv] = env.pki.dir;
  stopOwn = async () => {
    await env.stop();
    delete process.env[etcdEndpointsEnv];
    delete process.env[pkiDirEnv];
  };
}

export function setup(): Promise<void> {
  return setupEnvironment();
}

export async function teardown(): Promise<void> {
  await stopOwn?.();
  stopOwn = undefined;
}
