/**
 * fake-kubelet: simulates --nodes nodes and the pods bound to them against the apiserver in
 * --kubeconfig (pkg/kubelet). Refused flags exit with code 2; --help prints every flag; a refused
 * --stages file exits with code 1 and the loader's `<file>:<line>: <field>: <problem>`.
 */
import { OptionsError, parseOptions, program, usage, type FakeKubeletOptions } from '../../pkg/kubelet/options.ts';
import { runFakeKubelet } from '../../pkg/kubelet/run.ts';
import { kubeletStages, StageFileError, type Stage } from '../../pkg/kubelet/stages/index.ts';

let parsed: FakeKubeletOptions | { help: true };
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${program}: ${(err as Error).message}\n`);
  process.exit(err instanceof OptionsError ? 2 : 1);
}
if ('help' in parsed) {
  process.stdout.write(usage());
  process.exit(0);
}
const opts = parsed;

let stages: Stage[];
try {
  stages = kubeletStages(opts.stagesFile);
} catch (err) {
  process.stderr.write(`${program}: ${err instanceof StageFileError ? err.message : String(err)}\n`);
  process.exit(1);
}

const shutdown = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { shutdown.abort(); setTimeout(() => process.exit(0), 2000).unref(); });
}

runFakeKubelet(opts, shutdown.signal, stages).then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${program}: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
