/** kube-apiserver: parses flags named like the real ones and runs the server until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { runApiServer } from '../../pkg/apiserver/run.ts';

const { values } = parseArgs({
  options: {
    'etcd-servers': { type: 'string', default: 'http://127.0.0.1:2379' },
    'etcd-prefix': { type: 'string', default: '/registry' },
    'secure-port': { type: 'string', default: '6443' },
    'bind-address': { type: 'string', default: '127.0.0.1' },
    'tls-cert-file': { type: 'string' },
    'tls-private-key-file': { type: 'string' },
    'client-ca-file': { type: 'string' },
    'service-cluster-ip-range': { type: 'string', default: '10.96.0.0/12' },
    'service-node-port-range': { type: 'string', default: '30000-32767' },
    'service-account-key-file': { type: 'string' },
    'service-account-signing-key-file': { type: 'string' },
    'service-account-issuer': { type: 'string' },
  },
  strict: false,
});

const [lo, hi] = String(values['service-node-port-range']).split('-').map(Number);
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { controller.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}

const running = runApiServer({
  etcdServers: String(values['etcd-servers']).split(','),
  etcdPrefix: String(values['etcd-prefix']),
  bindAddress: String(values['bind-address']),
  securePort: Number(values['secure-port']),
  tlsCertFile: values['tls-cert-file'] as string | undefined,
  tlsPrivateKeyFile: values['tls-private-key-file'] as string | undefined,
  clientCAFile: values['client-ca-file'] as string | undefined,
  serviceClusterIPRange: String(values['service-cluster-ip-range']),
  serviceNodePortRange: [lo ?? 30000, hi ?? 32767],
}, controller.signal);
running.catch((err: unknown) => {
  process.stderr.write(`kube-apiserver: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
// Exit once the server has closed: idle etcd client handles would otherwise keep the process up.
controller.signal.addEventListener('abort', () => { void running.then((s) => s.closed).then(() => process.exit(0)); });
