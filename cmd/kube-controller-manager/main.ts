/** kube-controller-manager: runs the controllers named by --controllers against the apiserver in --kubeconfig. */
import { parseArgs } from 'node:util';
import { RestClient } from '../../pkg/client/rest-client.ts';
import { readFileSync } from 'node:fs';
import { newNamespaceController } from '../../pkg/controllers/namespace/namespace-controller.ts';
import { newPerNamespaceController } from '../../pkg/controllers/per-namespace/per-namespace-controller.ts';
import { defaultServiceAccount, rootCAConfigMap } from '../../pkg/controllers/per-namespace/defaults.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    controllers: { type: 'string', default: '*' },
    'leader-elect': { type: 'string', default: 'true' },
    'root-ca-file': { type: 'string' },
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
if (on('serviceaccount')) running.push(newPerNamespaceController(client, defaultServiceAccount).run(controller.signal));
// The CA comes from --root-ca-file, else from the kubeconfig's cluster (what run-local writes).
const caData = values['root-ca-file']
  ? readFileSync(String(values['root-ca-file']), 'utf8')
  : Buffer.from(client.kubeConfig.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
if (on('root-ca-cert-publisher') && caData) {
  running.push(newPerNamespaceController(client, rootCAConfigMap(caData)).run(controller.signal));
}
Promise.all(running).then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`kube-controller-manager: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
