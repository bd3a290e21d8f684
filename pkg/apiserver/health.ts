/**
 * /healthz, /livez and /readyz with named checks, as k8s.io/apiserver/pkg/server/healthz does:
 * `ok` (or one line per check with ?verbose), `/readyz/<check>` for one check, `?exclude=<check>`,
 * and a 500 listing `[-]<check> failed: reason withheld` when something fails.
 */
import type { Express, Request, Response } from 'express';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

const always = (name: string): HealthCheck => ({ name, check: async () => true });

/** The post-start hooks a 1.32 server lists; ours have all run once the server listens. */
const postStartHooks = [
  'start-apiserver-admission-initializer', 'generic-apiserver-start-informers', 'start-cluster-authentication-info-controller',
  'bootstrap-controller', 'start-kube-apiserver-admission-initializer', 'apiservice-registration-controller',
];

/** Post-start hooks that run after the listener is up: false while running, true once done. */
const trackedHooks = new WeakMap<Express, Map<string, boolean>>();

/** Makes poststarthook/<name> fail on this app until `done` resolves (it stays failed if it rejects). */
export function trackPostStartHook(app: Express, name: string, done: Promise<unknown>): void {
  const hooks = trackedHooks.get(app) ?? new Map<string, boolean>();
  trackedHooks.set(app, hooks);
  hooks.set(name, false);
  done.then(() => hooks.set(name, true), () => undefined);
}

const trackedHook = (app: Express, name: string): HealthCheck =>
  ({ name: `poststarthook/${name}`, check: async () => trackedHooks.get(app)?.get(name) ?? true });

export function installHealthEndpoints(app: Express, storageHealthy: () => Promise<boolean>): void {
  const etcd: HealthCheck = { name: 'etcd', check: storageHealthy };
  const base = [always('ping'), always('log'), etcd, ...postStartHooks.map((h) => always(`poststarthook/${h}`))];
  // Where a 1.32 server lists it: just before bootstrap-controller.
  base.splice(base.findIndex((c) => c.name === 'poststarthook/bootstrap-controller'), 0, trackedHook(app, 'rbac/bootstrap-roles'));
  const endpoints: Record<string, HealthCheck[]> = {
    healthz: base,
    livez: base,
    readyz: [...base, always('informer-sync'), always('shutdown')],
  };
  for (const [endpoint, checks] of Object.entries(endpoints)) {
    app.get(`/${endpoint}`, (req, res) => { void runChecks(endpoint, checks, req, res); });
    app.get(new RegExp(`^/${endpoint}/(.+)$`), (req, res) => {
      const name = req.path.slice(endpoint.length + 2);
      const check = checks.find((c) => c.name === name);
      if (!check) { res.status(404).type('text/plain').end('404 page not found\n'); return; }
      void runChecks(endpoint, [check], req, res, true);
    });
  }
}

async function runChecks(endpoint: string, checks: HealthCheck[], req: Request, res: Response, single = false): Promise<void> {
  const excluded = new Set(new URL(req.originalUrl, 'http://x').searchParams.getAll('exclude'));
  const verbose = 'verbose' in req.query;
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excluded.has(c.name)) { lines.push(`[+]${c.name} excluded: ok`); continue; }
    const ok = await c.check().catch(() => false);
    if (!ok) failed = true;
    lines.push(ok ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`);
  }
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (failed) {
    res.status(500).end(single ? `${lines.join('\n')}\n` : `${lines.join('\n')}\n${endpoint} check failed\n`);
    return;
  }
  res.status(200).end(verbose && !single ? `${lines.join('\n')}\n${endpoint} check passed\n` : 'ok');
}
