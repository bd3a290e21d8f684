/**
 * A scripted ListerWatcher for unit tests, in the spirit of client-go
 * tools/cache/testing/fake_controller_source.go: lists and watches answer from a script in call
 * order and every call is recorded, so a test can check what a reflector asked for.
 */
import type { Logger } from '../../../util/log.ts';
import type { ListerWatcher, ListOptions, ListPage, WatchEvent, WatchOptions } from '../lister-watcher.ts';
import { SharedIndexInformer } from '../shared-informer.ts';
import type { InformerObject } from '../types.ts';

/** A watch stream the test feeds while the code under test reads it. */
export class FakeWatch<T> {
  private readonly queue: (WatchEvent<T> | Error | 'end')[] = [];
  private wake: (() => void) | undefined;

  push(...events: WatchEvent<T>[]): this {
    this.queue.push(...events);
    this.wake?.();
    return this;
  }

  /** The connection breaks with `err` after the queued events. */
  fail(err: Error): this {
    this.queue.push(err);
    this.wake?.();
    return this;
  }

  /** The server closes the stream after the queued events. */
  end(): this {
    this.queue.push('end');
    this.wake?.();
    return this;
  }

  async *events(signal: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    for (;;) {
      while (this.queue.length === 0) {
        if (signal.aborted) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      const item = this.queue.shift()!;
      if (item === 'end') return;
      if (item instanceof Error) throw item;
      yield item;
    }
  }
}

/** What one list call answers: a page or a rejection. */
export type ListStep<T> = ListPage<T> | Error;
/** What one watch call answers: a rejection, or a stream (a plain array: those events, then the server closes it). */
export type WatchStep<T> = Error | FakeWatch<T> | WatchEvent<T>[];

export class ScriptedListerWatcher<T> implements ListerWatcher<T> {
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];

  /**
   * `whenExhausted` runs when a call finds its script empty (typically: abort the run); such a
   * list rejects and such a watch stays open until its signal aborts.
   */
  constructor(
    readonly lists: ListStep<T>[],
    readonly watches: WatchStep<T>[],
    private readonly whenExhausted: () => void = () => {},
  ) {}

  async list(options: ListOptions): Promise<ListPage<T>> {
    this.listCalls.push(options);
    const step = this.lists.shift();
    if (step === undefined) {
      this.whenExhausted();
      throw new Error('list script exhausted');
    }
    if (step instanceof Error) throw step;
    return step;
  }

  async watch(options: WatchOptions, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>> {
    this.watchCalls.push(options);
    const step = this.watches.shift();
    if (step === undefined) this.whenExhausted();
    if (step instanceof Error) throw step;
    const stream = step instanceof FakeWatch ? step : step === undefined ? new FakeWatch<T>() : new FakeWatch<T>().push(...step).end();
    return stream.events(signal);
  }
}

/** Lets pending promise callbacks and async iterations run (no time passes). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A logger that drops everything, to keep expected failures out of test output. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * A running informer over `objects` and a FakeWatch for later events, for controller tests:
 * `await started.synced` before reading its lister, and `stop()` when done.
 */
export function startFakeInformer<T extends InformerObject>(objects: T[], name = 'fake') {
  const ctrl = new AbortController();
  const watch = new FakeWatch<T>();
  const lw = new ScriptedListerWatcher<T>([{ items: objects, resourceVersion: '1' }], [watch]);
  const informer = new SharedIndexInformer<T>(lw, { name, logger: silentLogger });
  const running = informer.run(ctrl.signal);
  return {
    informer,
    watch,
    synced: informer.whenSynced(ctrl.signal),
    stop: async (): Promise<void> => { ctrl.abort(); await running; },
  };
}
