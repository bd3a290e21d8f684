/**
 * Periodic compaction of etcd history, as kube-apiserver does every 5 minutes: each tick compacts
 * to the revision seen at the previous tick, so history always reaches back at least one interval
 * (watch resumption and continue tokens within that window keep working).
 */
import type { EtcdStore } from './etcd-store.ts';

export function startCompactor(store: EtcdStore, intervalMs = 5 * 60_000, onError: (err: unknown) => void = () => {}): () => void {
  let previous = 0;
  const tick = async () => {
    try {
      const current = await store.currentRevision();
      if (previous > 0) await store.client.kv.compact({ revision: previous });
      previous = current;
    } catch (err) {
      if (!/compacted/i.test(String(err))) onError(err);
    }
  };
  const timer = setInterval(() => { void tick(); }, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
