import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive as isAlive, startProcess, type ManagedProcess } from './managed-process.ts';
import { defaultRestartPolicy, RestartBackoff, Supervisor, type RestartDecision } from './supervisor.ts';

const second = 1_000;

/** Crashes `uptimes.length` times, the i-th after `uptimes[i]` ms up; restarts take the decided delay. */
function crashAfter(backoff: RestartBackoff, uptimes: readonly number[], start = 0): RestartDecision[] {
  let now = start;
  return uptimes.map((uptime) => {
    now += uptime;
    const decision = backoff.crashed(now);
    if (decision.restart) backoff.started((now += decision.delayMs));
    return decision;
  });
}
const delays = (decisions: readonly RestartDecision[]): (number | 'give up')[] =>
  decisions.map((d) => (d.restart ? d.delayMs : 'give up'));

describe('RestartBackoff', () => {
  it('doubles from 1 s and gives up on the 6th quick crash', () => {
    const decisions = crashAfter(new RestartBackoff(defaultRestartPolicy, 0), [100, 100, 100, 100, 100, 100]);
    expect(delays(decisions)).toEqual([1 * second, 2 * second, 4 * second, 8 * second, 16 * second, 'give up']);
    expect(decisions.map((d) => d.crashes)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('never waits more than 30 s', () => {
    const backoff = new RestartBackoff({ ...defaultRestartPolicy, maxCrashes: 100 }, 0);
    expect(delays(crashAfter(backoff, Array(8).fill(100)))).toEqual(
      [1, 2, 4, 8, 16, 30, 30, 30].map((s) => s * second),
    );
  });

  it('starts again from 1 s after a child stayed up for a minute', () => {
    const backoff = new RestartBackoff({ ...defaultRestartPolicy, maxCrashes: 100 }, 0);
    expect(delays(crashAfter(backoff, [100, 100, 100, 59 * second, 60 * second, 100]))).toEqual(
      [1, 2, 4, 8, 1, 2].map((s) => s * second),
    );
  });

  it('forgets crashes older than the window, so a child that dies now and then is never given up', () => {
    // One crash every 2 minutes: at most 3 fall within any 5 minutes.
    const decisions = crashAfter(new RestartBackoff(defaultRestartPolicy, 0), Array(20).fill(2 * 60 * second));
    expect(decisions.every((d) => d.restart)).toBe(true);
    expect(Math.max(...decisions.map((d) => d.crashes))).toBe(3);
  });

  it('gives up on a child that dies within a minute, 6 times in 5 minutes', () => {
    // Up 50 s each time: crashes at 50 s, 101 s, 153 s, 207 s, 265 s and 331 s.
    const decisions = crashAfter(new RestartBackoff(defaultRestartPolicy, 0), Array(6).fill(50 * second));
    expect(delays(decisions)).toEqual([1 * second, 2 * second, 4 * second, 8 * second, 16 * second, 'give up']);
    // Up 61 s each time: the delay stays 1 s and no 6 crashes fit in 5 minutes.
    const stable = crashAfter(new RestartBackoff(defaultRestartPolicy, 0), Array(12).fill(61 * second));
    expect(delays(stable)).toEqual(Array(12).fill(1 * second));
  });
});

// Real (tiny) processes, a fast policy: no test waits for a real back-off.
describe('Supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-supervisor-'));
  const started: ManagedProcess[] = [];
  afterAll(() => {
    for (const p of started) p.killNow();
    rmSync(dir, { recursive: true, force: true });
  });
  const fast = { initialDelayMs: 20, maxDelayMs: 40, stableAfterMs: 10_000, maxCrashes: 3, crashWindowMs: 10_000 };
  const start = (name: string, script: string) => (): ManagedProcess => {
    const p = startProcess({ name, command: 'sh', args: ['-c', script], logFile: join(dir, `${name}.log`) });
    started.push(p);
    return p;
  };
  const newSupervisor = async (name: string, lines: string[], policy = fast): Promise<Supervisor> => {
    const supervisor = new Supervisor(join(dir, `${name}.json`), dir, { policy, log: (l) => lines.push(l) });
    await supervisor.acquire();
    return supervisor;
  };
  /** Adds a restartable `sleep` and SIGKILLs it; returns the killed process. */
  const addAndKill = (supervisor: Supervisor, name: string): ManagedProcess => {
    const restart = start(name, 'exec sleep 30');
    const first = restart();
    supervisor.add(first, restart);
    process.kill(first.pid, 'SIGKILL');
    return first;
  };
  const statePids = (name: string): number[] =>
    (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { children: { pid: number }[] }).children.map((c) => c.pid);
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  it('restarts a killed child, says so, records its new pid, and stops the new one', async () => {
    const lines: string[] = [];
    const supervisor = await newSupervisor('restart', lines);
    const first = addAndKill(supervisor, 'sleeper');
    await until(() => supervisor.children[0] !== first);
    const second = supervisor.children[0]!;
    expect(second.isRunning()).toBe(true);
    expect(statePids('restart')).toEqual([second.pid]);
    expect(lines[0]).toMatch(/^sleeper was killed by SIGKILL at \d\d:\d\d:\d\d; restarting it in 20 ms \(crash 1 within 10 s/);
    expect(lines[1]).toBe(`restarted sleeper (pid ${second.pid})`);
    await supervisor.stopAll();
    expect(isAlive(second.pid)).toBe(false);
  });

  it('gives up on a child that keeps crashing, with its exit', async () => {
    const lines: string[] = [];
    const supervisor = await newSupervisor('crashing', lines);
    const restart = start('crasher', 'echo boom; exit 3');
    supervisor.add(restart(), restart);
    const fatal = await supervisor.fatalExit;
    expect(fatal).toMatchObject({ name: 'crasher', code: 3 });
    expect(lines.filter((l) => l.startsWith('restarted crasher'))).toHaveLength(3);
    expect(lines[0]).toContain('crasher exited with code 3');
    expect(lines[0]).toContain('boom');
    expect(lines.at(-1)).toMatch(/crash 4 within 10 s, at most 3 tolerated: giving up$/);
    await supervisor.stopAll();
  });

  it('reports a child added without a restart function as soon as it dies', async () => {
    const supervisor = await newSupervisor('fatal', []);
    supervisor.add(start('once', 'exit 2')());
    expect(await supervisor.fatalExit).toMatchObject({ name: 'once', code: 2 });
    await supervisor.stopAll();
  });

  it('does not restart anything once stopping', async () => {
    const lines: string[] = [];
    const policy = { ...fast, initialDelayMs: 300 };
    const supervisor = await newSupervisor('stopping', lines, policy);
    const first = addAndKill(supervisor, 'slow');
    await until(() => lines.length === 1);
    await supervisor.stopAll();
    await new Promise((r) => setTimeout(r, 2 * policy.initialDelayMs));
    expect(supervisor.children).toEqual([first]);
    expect(lines).toHaveLength(1);
  });
});
