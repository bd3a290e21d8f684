/** kube-apiserver: parses flags as the real one does (pkg/apiserver/options.ts) and runs until SIGINT/SIGTERM. */
import { commandFor } from '../../pkg/apiserver/options.ts';
import { runApiServer } from '../../pkg/apiserver/run.ts';
import { logger } from '../../pkg/util/log.ts';

const log = logger('kube-apiserver');
const outcome = commandFor(process.argv.slice(2), (msg) => log.warn(msg));
if (!('run' in outcome)) {
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  process.exit(outcome.exitCode);
}

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { controller.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}

const running = runApiServer(outcome.run, controller.signal);
running.catch((err: unknown) => {
  process.stderr.write(`kube-apiserver: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
// Exit once the server has closed: idle etcd client handles would otherwise keep the process up.
controller.signal.addEventListener('abort', () => { void running.then((s) => s.closed).then(() => process.exit(0)); });
