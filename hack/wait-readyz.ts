import { request } from 'node:https';

/** TLS material for talking to the apiserver as the admin user (PEM text). */
export interface AdminTls {
  ca: string;
  cert: string;
  key: string;
}

/** One GET over HTTPS with client certificate; resolves with the status code (0 when unreachable). */
export function httpsStatus(url: string, tls: AdminTls, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', ca: tls.ca, cert: tls.cert, key: tls.key, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `GET <baseUrl>/readyz` until it answers 200. Throws when `timeoutMs`
 * passes or `signal` aborts (e.g. the server process died), with the last status seen. Polls every
 * `pollMs` (the test harness polls faster: a quarter second is a third of its start budget).
 */
export async function waitForReadyz(baseUrl: string, tls: AdminTls, timeoutMs: number, signal: AbortSignal, pollMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (!signal.aborted) {
    last = await httpsStatus(`${baseUrl}/readyz`, tls);
    if (last === 200) return;
    if (Date.now() > deadline) {
      throw new Error(`${baseUrl}/readyz not 200 after ${timeoutMs} ms (last: ${last === 0 ? 'no answer' : last})`);
    }
    await sleep(pollMs);
  }
  throw new Error(`stopped waiting for ${baseUrl}/readyz`);
}
