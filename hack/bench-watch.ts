/**
 * Watch delivery latency for hack/bench.ts: N watchers on one namespace's pods, then pods created
 * one batch at a time; latency is the time from a POST's response to each watcher reading the event.
 */
import type { ClientRequest } from 'node:http';
import { Agent, request } from 'node:https';
import { benchPod, runPool, type ApiClient } from './bench-load.ts';

export interface WatchLatencyOptions {
  namespace: string;
  watchers: number;
  objects: number;
  /** POSTs in flight while creating the watched objects. */
  concurrency: number;
  timeoutMs?: number;
}

export interface WatchLatencyResult {
  /** One sample per (watcher, object) in ms; events read before the POST response count as 0. */
  samples: number[];
  /** Deliveries that arrived before the client had the POST response. */
  early: number;
  /** Deliveries that never arrived before the timeout. */
  missing: number;
}

const namePrefix = 'wl-';
// Only metadata.name carries the prefix (container and port names differ), so a regex finds the
// object without parsing 2 KB of JSON per event in the measuring process.
const nameInEvent = new RegExp(`"name"\\s*:\\s*"(${namePrefix}\\d+)"`);

interface Watcher {
  req: ClientRequest;
  /** First time each object name was seen on this watch (performance.now()). */
  seen: Map<string, number>;
}

function openWatcher(client: ApiClient, agent: Agent, path: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const seen = new Map<string, number>();
    const req = request(`${client.baseUrl}${path}`, { agent, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: status ${res.statusCode}`));
        res.resume();
        return;
      }
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = performance.now();
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          const name = nameInEvent.exec(line)?.[1];
          if (name !== undefined && !seen.has(name)) seen.set(name, now);
        }
      });
      res.on('error', () => undefined);
      resolve({ req, seen });
    });
    req.on('error', (err) => reject(err));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the watchers from the namespace's current resourceVersion (so no initial events),
 * creates the objects, waits until every watcher has every object (or the timeout), and
 * closes the watches. The namespace must exist and be empty.
 */
export async function measureWatchLatency(client: ApiClient, options: WatchLatencyOptions): Promise<WatchLatencyResult> {
  const base = `/api/v1/namespaces/${options.namespace}/pods`;
  const list = JSON.parse((await client.must(200, 'GET', base)).toString()) as { metadata: { resourceVersion: string } };
  const path = `${base}?watch=1&resourceVersion=${list.metadata.resourceVersion}`;
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity, ca: client.tls.ca, cert: client.tls.cert, key: client.tls.key });
  const watchers = await Promise.all(Array.from({ length: options.watchers }, () => openWatcher(client, agent, path)));
  try {
    const posted = new Map<string, number>();
    await runPool(options.objects, options.concurrency, async (i) => {
      const name = `${namePrefix}${i}`;
      await client.must(201, 'POST', base, benchPod(options.namespace, name));
      posted.set(name, performance.now());
    });
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline && watchers.some((w) => w.seen.size < options.objects)) await sleep(50);

    const samples: number[] = [];
    let early = 0;
    let missing = 0;
    for (const w of watchers) {
      for (const [name, postedAt] of posted) {
        const at = w.seen.get(name);
        if (at === undefined) {
          missing++;
          continue;
        }
        if (at < postedAt) early++;
        samples.push(Math.max(0, at - postedAt));
      }
    }
    return { samples, early, missing };
  } finally {
    for (const w of watchers) w.req.destroy();
    agent.destroy();
  }
}
