/**
 * kube-controller-manager: runs the controllers named by --controllers against the apiserver in
 * --kubeconfig (pkg/controllermanager). Refused flags exit with code 2, a lost lease with 1.
 */
import { OptionsError, parseOptions, type ControllerManagerOptions } from '../../pkg/controllermanager/options.ts';
import { runControllerManager } from '../../pkg/controllermanager/run.ts';

const program = 'kube-controller-manager';
let opts: ControllerManagerOptions;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${program}: ${(err as Error).message}\n`);
  process.exit(err instanceof OptionsError ? 2 : 1);
}

const shutdown = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { shutdown.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}

runControllerManager(opts, shutdown.signal, () => process.exit(1)).then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${program}: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
