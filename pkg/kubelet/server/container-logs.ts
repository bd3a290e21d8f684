/**
 * Writes one container's log to an HTTP response as the kubelet does (pkg/kubelet/kuberuntime/logs
 * ReadLogs): the last `tailLines` lines, then those at or after `since`, each with an optional
 * RFC3339NanoFixed time stamp, cut at `limitBytes` (mid-line, as the kubelet's LimitedWriter does),
 * then, when following, every new line until the container ends, the client leaves or the limit
 * is reached. Writes respect backpressure for history; followed lines are queued in the socket.
 */
import type { ServerResponse } from 'node:http';
import type { ContainerLog, LogLine } from './sources.ts';
import type { KubeletLogOptions } from './log-query.ts';

/** time.RFC3339NanoFixed ("2006-01-02T15:04:05.000000000Z07:00") of a UTC instant. */
export function rfc3339NanoFixed(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function formatLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${rfc3339NanoFixed(line.time)} ${line.text}\n` : `${line.text}\n`;
}

/** The lines of history to send: tail first, then the since filter, as ReadLogs seeks then filters. */
export function selectHistory(lines: readonly LogLine[], opts: KubeletLogOptions, now: Date): readonly LogLine[] {
  let out = opts.tailLines !== undefined ? lines.slice(Math.max(0, lines.length - opts.tailLines)) : lines;
  const since = opts.sinceTime ?? (opts.sinceSeconds !== undefined ? new Date(now.getTime() - opts.sinceSeconds * 1000) : undefined);
  if (since) out = out.filter((l) => l.time.getTime() >= since.getTime());
  return out;
}

/** Counts bytes written and truncates at the limit (limitBytes). */
class LimitedOutput {
  private remaining: number;

  constructor(limit: number | undefined) {
    this.remaining = limit ?? Number.POSITIVE_INFINITY;
  }

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  /** The part of `text` that still fits. */
  take(text: string): Buffer {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length <= this.remaining) {
      this.remaining -= bytes.length;
      return bytes;
    }
    const cut = bytes.subarray(0, this.remaining);
    this.remaining = 0;
    return cut;
  }
}

function waitDrain(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => { res.off('close', onClose); resolve(true); };
    const onClose = (): void => { res.off('drain', onDrain); resolve(false); };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Streams `log` into `res` (headers already decided by the caller); resolves when the response ends. */
export async function writeContainerLog(res: ServerResponse, log: ContainerLog, opts: KubeletLogOptions, now: Date): Promise<void> {
  const out = new LimitedOutput(opts.limitBytes);
  const history = selectHistory(log.lines(), opts, now);
  // Subscribing in the same tick as the snapshot: a source appends lines from its own event-loop
  // tasks, so no line falls between the two and none is sent twice.
  const pending: LogLine[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const stop = opts.follow
    ? log.follow((line) => { pending.push(line); wake?.(); }, () => { ended = true; wake?.(); })
    : () => undefined;
  let clientGone = false;
  res.once('close', () => { clientGone = true; wake?.(); });
  try {
    for (const line of history) {
      if (out.exhausted || clientGone) break;
      if (!res.write(out.take(formatLine(line, opts.timestamps))) && !(await waitDrain(res))) return;
    }
    if (!opts.follow) return;
    for (;;) {
      while (pending.length > 0 && !out.exhausted && !clientGone) {
        const line = pending.shift()!;
        if (!res.write(out.take(formatLine(line, opts.timestamps))) && !(await waitDrain(res))) return;
      }
      if (ended || out.exhausted || clientGone) return;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
  } finally {
    stop();
    if (!clientGone) res.end();
  }
}
