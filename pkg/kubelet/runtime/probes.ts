/**
 * Simulated probes: an exec probe runs its command through the interpreter and fails when that
 * exits non-zero (`/bin/false`, `false`, `exit 1`); httpGet, tcpSocket and grpc probes succeed,
 * since every simulated server is up. Timings default as in the API (pkg/apis/core/v1/defaults.go).
 */
import type { Probe } from 'kubernetes-types/core/v1.js';
import { interpret } from './interpreter.ts';

export interface ProbeResult {
  ok: boolean;
  /** What the kubelet puts after "<Kind> probe failed: ". */
  output: string;
}

export function runProbe(probe: Probe): ProbeResult {
  if (!probe.exec) return { ok: true, output: '' };
  const sim = interpret(probe.exec.command, undefined);
  const output = sim.lines.map((l) => l.text).join('\n');
  if (sim.outcome.kind === 'exits' && sim.outcome.code !== 0) return { ok: false, output };
  return { ok: true, output };
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
