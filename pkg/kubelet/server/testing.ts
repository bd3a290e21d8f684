/**
 * In-memory PodLogSource and UsageSource for tests of the kubelet server and of what the apiserver
 * serves from it (pods/log, metrics.k8s.io): a test writes lines, terminates containers, sets
 * usage, and watches how many followers a log has.
 */
import type { ContainerLog, LogLine, LogLookup, NodeUsage, PodLogSource, UsageSource } from './sources.ts';

/** One container instance's output, appended to and terminated by the test. */
export class MemoryLog implements ContainerLog {
  private readonly written: LogLine[] = [];
  private done = false;
  private readonly followers = new Set<{ onLine: (l: LogLine) => void; onEnd: () => void }>();

  lines(): readonly LogLine[] { return this.written; }
  terminated(): boolean { return this.done; }

  follow(onLine: (l: LogLine) => void, onEnd: () => void): () => void {
    if (this.done) { onEnd(); return () => undefined; }
    const f = { onLine, onEnd };
    this.followers.add(f);
    return () => { this.followers.delete(f); };
  }

  /** Followers subscribed right now. */
  get followerCount(): number { return this.followers.size; }

  write(text: string, time = new Date(), stream: LogLine['stream'] = 'stdout'): void {
    const line: LogLine = { time, stream, text };
    this.written.push(line);
    for (const f of this.followers) f.onLine(line);
  }

  terminate(): void {
    this.done = true;
    for (const f of [...this.followers]) f.onEnd();
    this.followers.clear();
  }
}

/** Pods by namespace/name/container, answering with the kubelet's messages for what is missing. */
export class MemoryPods implements PodLogSource {
  private readonly logs = new Map<string, MemoryLog>();
  /** Containers that exist but have not started: their kubelet message. */
  private readonly waiting = new Map<string, string>();

  add(namespace: string, pod: string, container: string, previous = false): MemoryLog {
    const log = new MemoryLog();
    this.logs.set(`${namespace}/${pod}/${container}${previous ? '#previous' : ''}`, log);
    return log;
  }

  /** A container waiting to start, as the kubelet reports one (validateContainerLogStatus). */
  addWaiting(namespace: string, pod: string, container: string, reason: string): void {
    this.waiting.set(`${namespace}/${pod}/${container}`, `container "${container}" in pod "${pod}" is waiting to start: ${reason}`);
  }

  containerLog(namespace: string, pod: string, container: string, previous: boolean): LogLookup {
    const key = `${namespace}/${pod}/${container}`;
    const known = [...this.logs.keys(), ...this.waiting.keys()].some((k) => k.startsWith(`${namespace}/${pod}/`));
    if (!known) return { found: false, message: `pod "${pod}" does not exist` };
    const waiting = this.waiting.get(key);
    if (waiting) return { found: false, message: waiting };
    const log = this.logs.get(`${key}${previous ? '#previous' : ''}`);
    if (log) return { found: true, log };
    if (previous && this.logs.has(key)) return { found: false, message: `previous terminated container "${container}" in pod "${pod}" not found` };
    return { found: false, message: `container "${container}" not found in pod "${pod}"` };
  }
}

/** Usage per node name, set by the test. */
export class MemoryUsage implements UsageSource {
  readonly nodes = new Map<string, NodeUsage>();

  nodeUsage(nodeName: string): NodeUsage | undefined {
    return this.nodes.get(nodeName);
  }
}
