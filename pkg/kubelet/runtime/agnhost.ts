/**
 * What agnhost (kubernetes/kubernetes test/images/agnhost), the image the e2e tests run, does for
 * the subcommands they use: which TCP ports its servers listen on (a probe of any other port is
 * refused) and, for logs-generator, what it prints. Pure: the pod worker plays the result back.
 * A container that does not run agnhost, or runs a subcommand not described here, is unknown:
 * undefined, and the caller falls back to the generic interpreter and to probes that pass.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import { normalizeImage } from './images.ts';
import type { ProgramLine, Simulation } from './interpreter.ts';

/** `agnhost <subcommand> <flags>` as the container runs it. */
export interface AgnhostInvocation {
  subcommand: string;
  /** Flag values by long name without dashes (`--port=80`, `--port 80`, `-t 5` under its short name). */
  flags: ReadonlyMap<string, string>;
}

/** The agnhost invocation of `container`, or undefined when it does not run agnhost. */
export function agnhostInvocation(container: Pick<Container, 'image' | 'command' | 'args'>): AgnhostInvocation | undefined {
  const ref = normalizeImage(container.image ?? '');
  const repo = ref.slice(ref.lastIndexOf('/') + 1).replace(/[:@].*$/, '');
  if (repo !== 'agnhost') return undefined;
  let argv = [...(container.args ?? [])];
  if (container.command !== undefined && container.command.length > 0) {
    const [binary, ...rest] = container.command;
    if (binary!.slice(binary!.lastIndexOf('/') + 1) !== 'agnhost') return undefined; // sh -c …, or another binary
    argv = [...rest, ...argv];
  }
  const [subcommand, ...words] = argv;
  if (subcommand === undefined) return undefined;
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    const m = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/.exec(words[i]!);
    if (!m) continue;
    if (m[2] !== undefined) flags.set(m[1]!, m[2]);
    else if (i + 1 < words.length && !words[i + 1]!.startsWith('-')) flags.set(m[1]!, words[++i]!);
    else flags.set(m[1]!, 'true');
  }
  return { subcommand, flags };
}

/** Each server subcommand's listening TCP ports: [flag, default] pairs (flag undefined: fixed). */
const serverPorts: Record<string, readonly (readonly [string | undefined, number])[]> = {
  'test-webserver': [['port', 80]],
  liveness: [[undefined, 8080]],
  'grpc-health-checking': [['port', 5000], ['http-port', 8080]],
  netexec: [['http-port', 8080]],
  'serve-hostname': [['port', 9376]],
  nettest: [['port', 8080]],
  'fake-gitserver': [[undefined, 8000]],
  'resource-consumer': [['port', 8080]],
  webhook: [['port', 443]],
  'crd-conversion-webhook': [['port', 443]],
  guestbook: [['http-port', 80]],
  pause: [],
  'logs-generator': [],
};

/** The TCP ports the container's agnhost listens on; undefined when unknown. */
export function agnhostPorts(container: Pick<Container, 'image' | 'command' | 'args'>): number[] | undefined {
  const inv = agnhostInvocation(container);
  const ports = inv ? serverPorts[inv.subcommand] : undefined;
  if (!inv || !ports) return undefined;
  return ports.map(([flag, port]) => (flag !== undefined && Number.isInteger(Number(inv.flags.get(flag))) ? Number(inv.flags.get(flag)) : port));
}

/** What the container's agnhost prints and how it ends; undefined when not simulated here. */
export function agnhostSimulation(container: Pick<Container, 'image' | 'command' | 'args'>, random: () => number = Math.random): Simulation | undefined {
  const inv = agnhostInvocation(container);
  if (inv?.subcommand === 'logs-generator') return logsGenerator(inv.flags, random);
  if (inv !== undefined && inv.subcommand in serverPorts) return { lines: [], outcome: { kind: 'runsForever' } };
  return undefined;
}

// --- logs-generator (test/images/agnhost/logs-generator/logs_generator.go) ----------------------

const httpMethods = ['GET', 'POST', 'PUT'];
const namespaces = ['kube-system', 'default', 'ns'];
/** k8s.io/apimachinery/pkg/util/rand.String's alphabet (no vowels, no confusable digits). */
const randAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Outputs --log-lines-total lines through klog, uniformly over --run-duration, then exits 0. */
function logsGenerator(flags: ReadonlyMap<string, string>, random: () => number): Simulation {
  const linesTotal = Number(flags.get('log-lines-total') ?? flags.get('t') ?? '0');
  const seconds = goDurationSeconds(flags.get('run-duration') ?? flags.get('d') ?? '0');
  if (!Number.isInteger(linesTotal) || linesTotal <= 0) return fatal(64, `Invalid total number of lines: ${flags.get('log-lines-total') ?? flags.get('t') ?? 0}`);
  if (seconds === undefined || seconds <= 0) return fatal(68, `Invalid duration: ${flags.get('run-duration') ?? flags.get('d') ?? '0s'}`);
  const delay = seconds / linesTotal;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const lines: ProgramLine[] = [];
  for (let id = 0; id < linesTotal; id++) {
    const podName = Array.from({ length: 3 + Math.floor(random() * 2) }, () => pick([...randAlphabet])).join('');
    const status = 200 + Math.floor(random() * 400);
    const text = `${id} ${pick(httpMethods)} /api/v1/namespaces/${pick(namespaces)}/pods/${podName} ${status}`;
    lines.push(klogLine(id * delay, 'I', 'logs_generator.go:76', text));
  }
  // The loop waits one more tick after the last line before returning.
  return { lines, outcome: { kind: 'exits', after: linesTotal * delay, code: 0 } };
}

/** klog.Fatalf: the line, then exit status 255. */
function fatal(line: number, message: string): Simulation {
  return { lines: [klogLine(0, 'F', `logs_generator.go:${line}`, message)], outcome: { kind: 'exits', after: 0, code: 255 } };
}

/** A line klog writes to stderr: "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg", stamped when it is written. */
function klogLine(at: number, severity: 'I' | 'F', source: string, message: string): ProgramLine {
  return { at, stream: 'stderr', text: message, textAt: (time) => `${klogHeader(severity, time)} ${source}] ${message}` };
}

export function klogHeader(severity: string, time: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = p(time.getUTCMilliseconds() * 1000, 6);
  return `${severity}${p(time.getUTCMonth() + 1)}${p(time.getUTCDate())} ${p(time.getUTCHours())}:${p(time.getUTCMinutes())}:${p(time.getUTCSeconds())}.${micros} ${'1'.padStart(7)}`;
}

/** Go's time.ParseDuration for the units flags use (h, m, s, ms, us, ns; "1m30s", "1.5s"). */
export function goDurationSeconds(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/y;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}
