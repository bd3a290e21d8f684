/**
 * kube-scheduler: assigns pending pods to nodes through pods/binding, against the apiserver in
 * --kubeconfig (pkg/scheduler). Refused flags or config exit with code 1 before anything starts
 * (as cobra does), a lost lease with 1.
 */
import { OptionsError, parseOptions, type SchedulerOptions } from '../../pkg/scheduler/options.ts';
import { runScheduler } from '../../pkg/scheduler/run.ts';

const program = 'kube-scheduler';
let opts: SchedulerOptions;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${program}: ${(err as Error).message}\n`);
  process.exit(err instanceof OptionsError ? 1 : 2);
}

const shutdown = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { shutdown.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}

runScheduler(opts, shutdown.signal, () => process.exit(1)).then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${program}: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
