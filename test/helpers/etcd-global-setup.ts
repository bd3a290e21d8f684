/**
 * vitest globalSetup for the integration tier: the test harness's shared environment with a
 * 3-member etcd (writes go to the raft leader, so the tier exercises a real multi-member cluster),
 * or the etcd named by ETCD_ENDPOINTS. Each test file isolates itself under its own key prefix.
 */
import { setupEnvironment } from '../../pkg/testenv/vitest-global-setup.ts';

export const setup = (): Promise<void> => setupEnvironment(3);
export { teardown } from '../../pkg/testenv/vitest-global-setup.ts';
