/**
 * Test clusters must not outlive the test process, however it ends. An 'exit' handler covers a
 * normal exit, but not SIGTERM, SIGKILL or a Ctrl-C that vitest does not forward, and etcd and the
 * apiserver run in process groups of their own. So one small guard process per test process holds
 * the read end of a pipe from it: we write "+<pgid>" / "-<pgid>" lines as groups start and stop,
 * and when the pipe closes (our process is gone, by any means) the guard SIGKILLs every group still
 * listed, then exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const guardScript = `
const groups = new Set();
let buf = '';
process.stdin.on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\\n'); i >= 0; i = buf.indexOf('\\n')) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') groups.add(pid); else groups.delete(pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
`;

let guard: ChildProcess | undefined;

function guardProcess(): ChildProcess {
  if (guard === undefined) {
    guard = spawn(process.execPath, ['-e', guardScript], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    guard.unref();
    // Neither the guard nor its pipe may keep the test process alive.
    (guard.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
    guard.on('error', () => { guard = undefined; });
  }
  return guard;
}

/**
 * Kills process group `pgid` (a child started detached, see hack/managed-process.ts) if this
 * process dies first. Returns the function that takes the group off the list once it has stopped.
 */
export function guardProcessGroup(pgid: number): () => void {
  guardProcess().stdin?.write(`+${pgid}\n`);
  return () => { guard?.stdin?.write(`-${pgid}\n`); };
}
