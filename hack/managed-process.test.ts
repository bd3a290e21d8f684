import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeExit, isProcessAlive as isAlive, startProcess, tailFile } from './managed-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'kube-ts-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startProcess', () => {
  it('logs to its file and reports how it exited', async () => {
    const logFile = join(dir, 'echo.log');
    const p = startProcess({ name: 'echo', command: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'], logFile });
    const info = await p.exited;
    expect(describeExit(info)).toBe('echo exited with code 3');
    expect(p.isRunning()).toBe(false);
    expect(readFileSync(logFile, 'utf8')).toMatch(/=== .* sh -c .*\nout\nerr\n/);
  });

  it('SIGKILLs a child that ignores SIGTERM, with its grandchildren', async () => {
    const logFile = join(dir, 'term-ignoring.log');
    // The shell ignores TERM and its `sleep` grandchild is in the same process group.
    const p = startProcess({ name: 'term-ignoring', command: 'sh', args: ['-c', 'trap "" TERM; sleep 30 & echo $!; wait'], logFile });
    let grandchild = 0;
    for (let i = 0; i < 50 && grandchild === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      grandchild = Number(tailFile(logFile, 1)) || 0;
    }
    expect(isAlive(grandchild)).toBe(true);
    const info = await p.stop(200);
    expect(info.signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('throws when the command does not exist', () => {
    expect(() =>
      startProcess({ name: 'nope', command: 'kube-ts-no-such-binary', args: [], logFile: join(dir, 'nope.log') }),
    ).toThrow(/cannot start/);
  });
});

describe('tailFile', () => {
  it('shows only the latest run of an appended log', async () => {
    const logFile = join(dir, 'runs.log');
    await startProcess({ name: 'a', command: 'echo', args: ['first'], logFile }).exited;
    await startProcess({ name: 'a', command: 'echo', args: ['second'], logFile }).exited;
    expect(tailFile(logFile, 20)).toBe('second');
    expect(tailFile(join(dir, 'missing.log'), 5)).toBe('');
  });
});
