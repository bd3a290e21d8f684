/**
 * The output of one simulated container instance, kept in memory and bounded (the oldest lines go
 * first, as a rotated log file loses them): what `kubectl logs` and `logs -f` read through the
 * kubelet endpoint (pkg/kubelet/server).
 */
import type { ContainerLog, LogLine } from '../server/sources.ts';

/** Lines kept per container instance. */
export const maxLogLines = 1000;

export class ContainerLogBuffer implements ContainerLog {
  private readonly buffer: LogLine[] = [];
  private ended = false;
  private readonly followers = new Set<{ onLine: (line: LogLine) => void; onEnd: () => void }>();

  constructor(private readonly limit = maxLogLines) {}

  lines(): readonly LogLine[] {
    return this.buffer;
  }

  terminated(): boolean {
    return this.ended;
  }

  follow(onLine: (line: LogLine) => void, onEnd: () => void): () => void {
    if (this.ended) {
      onEnd();
      return () => {};
    }
    const follower = { onLine, onEnd };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** Appends a line (ignored once the instance has terminated). */
  write(line: LogLine): void {
    if (this.ended) return;
    this.buffer.push(line);
    if (this.buffer.length > this.limit) this.buffer.splice(0, this.buffer.length - this.limit);
    for (const f of this.followers) f.onLine(line);
  }

  /** The instance terminated: followers end after its last line. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const f of this.followers) f.onEnd();
    this.followers.clear();
  }
}
