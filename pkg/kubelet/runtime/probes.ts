/**
 * Simulated probes, as data: an exec probe runs its command through the interpreter and fails when
 * that exits non-zero (`/bin/false`, `false`, `sh -c "exit 1"`); an httpGet, tcpSocket or grpc
 * probe reaches the container's port, which is refused when the container's program is known
 * (runtime/agnhost.ts) and does not listen there — agnhost test-webserver serves port 80, so a
 * probe of port 81 fails as upstream's container_probe.go expects — and succeeds otherwise.
 * Messages are the prober's (pkg/probe/{http,tcp,grpc}); timings default as in the API
 * (pkg/apis/core/v1/defaults.go).
 */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { agnhostPorts } from './agnhost.ts';
import { interpret } from './interpreter.ts';

export interface ProbeResult {
  ok: boolean;
  /** What the kubelet puts after "<Kind> probe failed: " (or "errored: " when `errored`). */
  output: string;
  /** The probe could not be run at all (a named port the container does not declare). */
  errored?: boolean;
}

/** Whom a probe reaches: the container and the pod's address. */
export interface ProbeTarget {
  container: Pick<Container, 'name' | 'image' | 'command' | 'args' | 'ports'>;
  podIP: string;
}

export function runProbe(probe: Probe, target: ProbeTarget): ProbeResult {
  if (probe.exec) {
    const sim = interpret(probe.exec.command, undefined);
    const output = sim.lines.map((l) => l.text).join('\n');
    return { ok: !(sim.outcome.kind === 'exits' && sim.outcome.code !== 0), output };
  }
  const action = probe.httpGet ?? probe.tcpSocket;
  const rawPort = action ? action.port : probe.grpc?.port;
  if (rawPort === undefined) return { ok: true, output: '' };
  const port = resolvePort(rawPort, target.container);
  if (typeof port === 'string') return { ok: false, errored: true, output: port };
  const listening = agnhostPorts(target.container);
  if (listening === undefined || listening.includes(port)) return { ok: true, output: '' };
  const host = (action?.host ?? '') || target.podIP;
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const refused = `dial tcp ${hostPort}: connect: connection refused`;
  if (probe.httpGet) {
    const path = probe.httpGet.path || '/';
    return { ok: false, output: `Get "${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${hostPort}${path.startsWith('/') ? '' : '/'}${path}": ${refused}` };
  }
  if (probe.tcpSocket) return { ok: false, output: refused };
  return { ok: false, output: `timeout: failed to connect service "${hostPort}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
}

/** probe.ResolveContainerPort: a number, a declared port name, or a number written as a string; else the error text. */
function resolvePort(port: number | string, container: ProbeTarget['container']): number | string {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port)?.containerPort;
  if (named !== undefined) return named;
  return /^\d+$/.test(port) ? Number(port) : `strconv.Atoi: parsing "${port}": invalid syntax`;
}

export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  failureThreshold: number;
  successThreshold: number;
}

export function probeTiming(probe: Probe): ProbeTiming {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    failureThreshold: probe.failureThreshold ?? 3,
    successThreshold: probe.successThreshold ?? 1,
  };
}

/**
 * When the `n`-th (from 0) probe that counts runs (prober worker.go): probes tick every period
 * from the container's start; those before initialDelaySeconds, or before `notBefore` (a startup
 * probe still running), are skipped.
 */
export function probeAt(startedAt: number, notBefore: number, timing: ProbeTiming, n: number): number {
  const period = Math.max(1, timing.periodMs);
  const first = Math.max(timing.initialDelayMs, notBefore - startedAt, 0);
  return startedAt + (Math.ceil(first / period) + n) * period;
}
