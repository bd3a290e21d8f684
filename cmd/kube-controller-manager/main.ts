/** kube-controller-manager: runs the controllers named by --controllers against the apiserver in --kubeconfig. */
import { parseArgs } from 'node:util';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { newNamespaceController } from '../../pkg/controllers/namespace/namespace-controller.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    controllers: { type: 'string', default: '*' },
    'leader-elect': { type: 'string', default: 'true' },
  },
  strict: false,
});

if (!values.kubeconfig) {
  process.stderr.write('kube-controller-manager: --kubeconfig is required\n');
  process.exit(2);
}
const client = RestClient.fromFile(String(values.kubeconfig));
const enabled = String(values.controllers).split(',');
const on = (name: string) => (enabled.includes('*') && !enabled.includes(`-${name}`)) || enabled.includes(name);

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { controller.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}
const running: Promise<void>[] = [];
if (on('namespace')) running.push(newNamespaceController({ client }).run(controller.signal));
Promise.all(running).then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`kube-controller-manager: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
