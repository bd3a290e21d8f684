/**
 * Creation and deletion expectations per controller key (kubernetes pkg/controller/controller_utils.go
 * ControllerExpectations and UIDTrackingControllerExpectations). A sync that creates or deletes pods
 * records how many events it expects; later syncs do not act again until the informer has seen them
 * all (or five minutes pass: a lost watch event must not wedge the controller). Deletions are tracked
 * by pod key, so a pod deleted by someone else is not mistaken for one of ours.
 */

/** controller.ExpectationsTimeout. */
export const expectationsTimeoutMs = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** When the expectation was set (ms since epoch). */
  setAt: number;
  /** Keys (`namespace/name`) of pods this controller is deleting and has not seen go yet. */
  deleting: Set<string>;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now, private readonly timeoutMs = expectationsTimeoutMs) {}

  /** True when the controller may act: nothing expected, all seen, or the expectation expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.setAt > this.timeoutMs;
  }

  /** Expects `count` pod creations (replacing any previous expectation). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { add: count, del: 0, setAt: this.now(), deleting: new Set() });
  }

  /** Expects the pods with these keys to be deleted (replacing any previous expectation). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { add: 0, del: podKeys.length, setAt: this.now(), deleting: new Set(podKeys) });
  }

  /** One creation was seen (or will never happen: a create that was not attempted or failed). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /** A pod went away; it counts only when it is one this controller is deleting. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(podKey)) e.del--;
  }

  /** The controller itself is gone. */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** Outstanding [creations, deletions], for tests and logs. */
  pending(key: string): [number, number] | undefined {
    const e = this.byKey.get(key);
    return e ? [e.add, e.del] : undefined;
  }
}
