// `make run-local`: etcd, certificates, the apiserver and (when they exist) the
// other programs under cmd/, in the foreground until Ctrl-C or SIGTERM. A child
// that dies is restarted with back-off; one that keeps dying stops the run.
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseApiserverPort } from './apiserver-port.ts';
import { startEtcdCluster } from './etcd-cluster.ts';
import { freePorts, isPortFree } from './free-port.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { applyPrerequisites, localComponents, startComponent, type LocalContext } from './local-components.ts';
import { describeExit, tailFile, type ExitInfo, type ManagedProcess } from './managed-process.ts';
import { ensurePki } from './pki.ts';
import { Supervisor } from './supervisor.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// RUN_LOCAL_DIR lets a test harness run a whole cluster in a temporary directory.
const localDir = resolve(process.env.RUN_LOCAL_DIR ?? join(root, '.local'));
const logDir = join(localDir, 'logs');
const say = (line: string): void => console.error(`run-local: ${line}`);
/** Paths as the user should type them from the repository root. */
const show = (path: string): string => (path.startsWith(`${root}/`) ? relative(root, path) : path);

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Resolves on the first SIGINT/SIGTERM/SIGHUP; a second one (after a moment) forces SIGKILL of everything. */
function stopSignal(supervisor: Supervisor): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let first = 0;
    const handler = (sig: NodeJS.Signals): void => {
      if (first === 0) {
        first = Date.now();
        resolveSignal(sig);
      } else if (Date.now() - first > 1_000) {
        // The delay ignores the same Ctrl-C relayed by a wrapper such as make.
        say(`${sig} again: killing everything now`);
        supervisor.killAllNow();
        process.exit(130);
      }
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, handler);
  });
}

function explainExit(info: ExitInfo, logFile: string): string {
  const tail = tailFile(logFile, 20);
  return `${describeExit(info)}; last lines of ${show(logFile)}:\n${tail}`;
}

/** Starts everything; resolves with the exit code once stopped. */
async function run(supervisor: Supervisor, stopped: Promise<NodeJS.Signals>): Promise<number> {
  if (!onPath('etcd')) throw new Error('etcd is not on PATH: run `make deps` (installs Debian\'s etcd-server)');
  mkdirSync(logDir, { recursive: true });
  await supervisor.acquire();
  let stopRequested = false;
  void stopped.then(() => (stopRequested = true));

  const pki = await ensurePki(join(localDir, 'pki'));
  const etcd = await startEtcdCluster({ dataDir: join(localDir, 'etcd'), logDir });
  for (const m of etcd.members) supervisor.add(m.process, m.restart);
  say(`etcd ${etcd.state === 'new' ? 'bootstrapped' : 'restarted'}: ${etcd.endpoints.join(',')}`);

  const apiserverPort = await chooseApiserverPort(process.env.APISERVER_PORT, {
    isFree: (port) => isPortFree(port),
    pickFree: async () => (await freePorts(1))[0]!,
  });
  const ctx: LocalContext = {
    root,
    pki,
    etcdEndpoints: etcd.endpoints,
    apiserverPort,
    apiserverUrl: `https://127.0.0.1:${apiserverPort}`,
    kubeconfig: join(localDir, 'kubeconfig'),
    readyTimeoutMs: Number(process.env.RUN_LOCAL_READY_TIMEOUT_MS ?? 120_000),
    audit: { policyFile: join(root, 'hack', 'audit-policy.yaml'), logPath: join(logDir, 'audit.log') },
  };
  writeKubeconfig(ctx.kubeconfig, {
    server: ctx.apiserverUrl,
    caPem: readFileSync(pki.caCert, 'utf8'),
    clientCertPem: readFileSync(pki.adminCert, 'utf8'),
    clientKeyPem: readFileSync(pki.adminKey, 'utf8'),
  });

  // Aborted when a child dies for good or a stop is requested, so readiness waits end early.
  const abort = new AbortController();
  const died = supervisor.fatalExit;
  void died.then(() => abort.abort());
  void stopped.then(() => abort.abort());

  for (const component of localComponents) {
    if (stopRequested || abort.signal.aborted) break;
    if (existsSync(join(ctx.root, component.entry))) await applyPrerequisites(component, ctx);
    const child = startComponent(component, ctx, { logDir });
    if (!child) continue;
    // Same flags and port; the entry existed a moment ago, so it is required now.
    const restart = (): ManagedProcess => startComponent({ ...component, optional: false }, ctx, { logDir })!;
    supervisor.add(child, restart);
    say(`started ${component.name} (pid ${child.pid}), log ${show(child.logFile)}`);
    try {
      await component.ready?.(ctx, abort.signal);
    } catch (err) {
      if (!abort.signal.aborted) throw new Error(`${component.name}: ${(err as Error).message}\n${tailFile(child.logFile, 20)}`);
    }
  }

  if (!stopRequested && !abort.signal.aborted) {
    const kubeconfig = show(ctx.kubeconfig);
    console.log(
      [
        '',
        `kube-ts is running: apiserver ${ctx.apiserverUrl}, etcd ${etcd.endpoints.join(',')}`,
        `logs in ${show(logDir)}/, admin kubeconfig in ${kubeconfig}`,
        '',
        `  export KUBECONFIG=${kubeconfig.startsWith('/') ? '' : '$PWD/'}${kubeconfig}; kubectl get ns`,
        '',
        'A child that dies is restarted; Ctrl-C stops everything.',
      ].join('\n'),
    );
  }

  const outcome = await Promise.race([stopped.then((sig) => ({ sig })), died.then((exit) => ({ exit }))]);
  if ('exit' in outcome) {
    const child = outcome.exit;
    const logFile = join(logDir, `${child.name}.log`);
    say(explainExit(child, logFile));
    say('stopping the others');
    await supervisor.stopAll();
    return 1;
  }
  say(`${outcome.sig}: stopping`);
  await supervisor.stopAll();
  say('stopped');
  return 0;
}

async function main(): Promise<void> {
  mkdirSync(localDir, { recursive: true });
  const supervisor = new Supervisor(join(localDir, 'run-local.json'), localDir, { log: say });
  // Whatever happens to this process, no child outlives it.
  process.on('exit', () => supervisor.killAllNow());
  const stopped = stopSignal(supervisor);
  try {
    process.exitCode = await run(supervisor, stopped);
  } catch (err) {
    say(`error: ${(err as Error).message}`);
    await supervisor.stopAll();
    process.exitCode = 1;
  }
  process.exit();
}

await main();
