/**
 * A real streaming HTTP client for watch tests: opens a GET on the TestServer's URL, reads the
 * chunked body line by line and queues each JSON watch event, so a test can await them in order.
 */
import http from 'node:http';

export interface WatchEventLine {
  type: string;
  object: Record<string, unknown> & { metadata?: Record<string, unknown>; kind?: string };
}

export interface WatchStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The next event, or throws after timeoutMs (the default suits a loopback server). */
  next(timeoutMs?: number): Promise<WatchEventLine>;
  /** Collects `count` events in arrival order. */
  take(count: number, timeoutMs?: number): Promise<WatchEventLine[]>;
  /** Resolves when the server ends the stream; with the events still unread. */
  ended: Promise<WatchEventLine[]>;
  /** Events received and not yet taken. */
  pending(): WatchEventLine[];
  close(): void;
}

export async function openWatch(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const queue: WatchEventLine[] = [];
  const waiters: ((e: WatchEventLine) => void)[] = [];
  let endResolve!: (events: WatchEventLine[]) => void;
  const ended = new Promise<WatchEventLine[]>((resolve) => { endResolve = resolve; });
  let done = false;

  const req = http.get(`${baseUrl}${path}`, { headers });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  res.setEncoding('utf8');
  let buffer = '';
  const push = (line: string) => {
    if (line.trim() === '') return;
    const event = JSON.parse(line) as WatchEventLine;
    const waiter = waiters.shift();
    if (waiter) waiter(event); else queue.push(event);
  };
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  const finish = () => {
    if (done) return;
    done = true;
    if (buffer.trim() !== '' && res.statusCode === 200) push(buffer);
    endResolve([...queue]);
  };
  res.on('end', finish);
  res.on('close', finish);
  res.on('error', finish);

  const next = (timeoutMs = 5000) => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<WatchEventLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(deliver);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no watch event within ${timeoutMs} ms on ${path}`));
      }, timeoutMs);
      const deliver = (e: WatchEventLine) => { clearTimeout(timer); resolve(e); };
      waiters.push(deliver);
    });
  };
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    next,
    async take(count, timeoutMs) {
      const out: WatchEventLine[] = [];
      for (let i = 0; i < count; i++) out.push(await next(timeoutMs));
      return out;
    },
    ended,
    pending: () => [...queue],
    close() {
      req.destroy();
      finish();
    },
  };
}

/** Reads a non-streaming body (an error answered before the stream starts). */
export async function readBody(baseUrl: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl}${path}`);
  return { status: res.status, body: await res.json() };
}
