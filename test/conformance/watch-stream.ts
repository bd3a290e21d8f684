/**
 * A started watch as the e2e framework reads one (client-go's Watch): events queue up in order;
 * `next` takes the next one, `until` reads until one satisfies a condition. Opening rejects when the
 * server does not answer 200, as client-go's Watch returns an error.
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';

export interface WatchEvent<T> {
  type: string;
  object: T;
}

export class WatchStream<T> {
  private readonly events: WatchEvent<T>[] = [];
  private closed: unknown = undefined;
  private wake: (() => void) | undefined;
  private controller: AbortController | undefined;

  static async open<T>(kc: KubeConfig, path: string, params: Record<string, string | undefined>): Promise<WatchStream<T>> {
    const stream = new WatchStream<T>();
    let openError: unknown;
    stream.controller = await new Watch(kc).watch(path, params, (type, object: T) => {
      stream.events.push({ type, object });
      stream.wake?.();
    }, (err: unknown) => {
      stream.closed = err ?? new Error('watch closed');
      openError ??= err;
      stream.wake?.();
    });
    if (openError) throw openError;
    return stream;
  }

  /** The next event; throws when the watch closed first or after `timeoutMs`. */
  async next(timeoutMs: number): Promise<WatchEvent<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event !== undefined) return event;
      if (this.closed !== undefined) throw new Error(`Watch channel is closed: ${String(this.closed)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for watch event');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
    }
  }

  /** Reads events until `condition` holds for one (returned); throws when the watch closes or after `timeoutMs`. */
  async until(condition: (event: WatchEvent<T>) => boolean, timeoutMs: number): Promise<WatchEvent<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.next(deadline - Date.now());
      if (condition(event)) return event;
    }
  }

  stop(): void {
    this.controller?.abort();
  }
}
