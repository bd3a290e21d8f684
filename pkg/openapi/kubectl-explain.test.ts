/**
 * Real kubectl against the generated documents: a throwaway plain-HTTP server on 127.0.0.1 serves
 * /version, legacy discovery built from the resource table, /openapi/v2 and /openapi/v3, and
 * versioned kubectl binaries must render `explain` from them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersionOf, groupVersions, resourcesIn } from '../resources/index.ts';
import { openapiV2Serialized } from './v2.ts';
import { openapiV2Protobuf, openapiV2ProtobufContentType, openapiV2ProtobufMediaType } from './v2-proto.ts';
import { openapiV3Root, openapiV3Serialized } from './v3.ts';

function kubectlDir(): string {
  const target = execFileSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], { encoding: 'utf8' }).trim();
  if (!target) throw new Error('kubectl is not on PATH');
  return dirname(target);
}

function send(res: ServerResponse, code: number, body: unknown, extra: Record<string, string> = {}): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length), ...extra });
  res.end(buf);
}

/** Query strings of the writes kubectl sent, to see which fieldValidation it chose. */
const writes: string[] = [];

/** Just enough of an apiserver for kubectl's discovery, explain and a dry-run create. */
function handle(req: IncomingMessage, body: string, res: ServerResponse, address: string): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const accept = req.headers.accept ?? '';
  const path = url.pathname;
  if (req.method === 'POST') {
    writes.push(url.search);
    return send(res, 201, JSON.parse(body) as unknown);
  }
  const gvs = groupVersions();
  if (path === '/version') {
    return send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '', gitTreeState: 'clean',
      buildDate: '2024-12-11T00:00:00Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (path === '/api') {
    return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] });
  }
  if (path === '/apis') {
    const groups = [...new Set(gvs.map((g) => g.group).filter(Boolean))].map((name) => {
      const versions = gvs.filter((g) => g.group === name).map((g) => ({ groupVersion: `${name}/${g.version}`, version: g.version }));
      return { name, versions, preferredVersion: versions[0] };
    });
    return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
  }
  const gv = gvs.find((g) => path === (g.group ? `/apis/${g.group}/${g.version}` : `/api/${g.version}`));
  if (gv) {
    const resources = resourcesIn(gv.group, gv.version).map((e) => ({
      name: e.plural, singularName: e.singular, namespaced: e.namespaced, kind: e.kind, verbs: e.verbs,
      ...(e.shortNames.length ? { shortNames: e.shortNames } : {}), ...(e.categories.length ? { categories: e.categories } : {}),
    }));
    return send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources });
  }
  if (path === '/openapi/v2') {
    // kubectl only asks for protobuf here; JSON is what other clients get.
    if (accept.includes(openapiV2ProtobufMediaType)) {
      return send(res, 200, openapiV2Protobuf().body, { 'Content-Type': openapiV2ProtobufContentType });
    }
    return send(res, 200, openapiV2Serialized().body);
  }
  if (path === '/openapi/v3') return send(res, 200, openapiV3Root());
  const doc = path.startsWith('/openapi/v3/') ? openapiV3Serialized(path) : undefined;
  if (doc) return send(res, 200, doc.body, { ETag: `"${doc.hash}"` });
  return send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
}

describe('kubectl explain against the generated OpenAPI', () => {
  let server: Server;
  let dir: string;
  let bin: string;

  beforeAll(async () => {
    bin = kubectlDir();
    dir = mkdtempSync(join(tmpdir(), 'openapi-kubectl-'));
    server = createServer((req, res) => {
      const address = server.address() as AddressInfo;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, Buffer.concat(chunks).toString(), res, `127.0.0.1:${address.port}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(join(dir, 'kubeconfig'), [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      `clusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      'users: [{name: t, user: {}}]', 'contexts: [{name: t, context: {cluster: t, user: t}}]', '',
    ].join('\n'));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a versioned kubectl asynchronously (the server lives in this process) with a 20 s cap. */
  function kubectl(version: string, args: string[]): Promise<string> {
    const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
    return new Promise((resolve, reject) => {
      execFile(join(bin, `kubectl.${version}`), args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl.${version} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }

  it('kubectl 1.33 explains deployment.spec.replicas from OpenAPI v3', async () => {
    const out = await kubectl('1.33', ['explain', 'deployment.spec.replicas']);
    expect(out).toMatch(/GROUP:\s+apps/);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+replicas <integer>/);
    expect(out).toContain('Number of desired pods.');
  });

  it('kubectl 1.27 explains pods.spec.containers', async () => {
    const out = await kubectl('1.27', ['explain', 'pods.spec.containers']);
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/FIELD:\s+containers <\[\]Container>/);
    expect(out).toContain('List of containers belonging to the pod.');
    expect(out).toMatch(/name\s+<string> -required-/);
  });

  it('kubectl 1.30 explains from the protobuf /openapi/v2 (plaintext-openapiv2)', async () => {
    const out = await kubectl('1.30', ['explain', 'deployment.spec.template.spec.containers.ports', '--output=plaintext-openapiv2']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/RESOURCE:\s+ports <\[\]Object>/);
    expect(out).toContain('List of ports to expose from the container.');
    expect(out).toMatch(/containerPort\s+<integer> -required-/);
  });

  it.each(['1.27', '1.33'])('kubectl %s finds server-side field validation in OpenAPI v3', async (version) => {
    // An unknown field: kubectl validating client-side (because it found no fieldValidation
    // parameter on the PATCH operation) would refuse it without sending anything.
    const manifest = join(dir, 'deploy.json');
    writeFileSync(manifest, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { bogus: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] } } } }));
    writes.length = 0;
    await kubectl(version, ['create', '-f', manifest, '--dry-run=server', '-o', 'name']);
    expect(writes).toHaveLength(1);
    expect(new URLSearchParams(writes[0]).get('fieldValidation')).toBe('Strict');
  });

  it('kubectl 1.33 names IntOrString and Quantity fields like the real server', async () => {
    expect(await kubectl('1.33', ['explain', 'svc.spec.ports.targetPort'])).toMatch(/FIELD:\s+targetPort <IntOrString>/);
    expect(await kubectl('1.33', ['explain', 'pods.spec.containers.resources.limits'])).toMatch(/FIELD:\s+limits <map\[string\]Quantity>/);
    expect(await kubectl('1.33', ['explain', 'pods.metadata.creationTimestamp'])).toMatch(/FIELD:\s+creationTimestamp <string>/);
  });

  it('kubectl 1.33 explains a type reached through a cross-group subresource kind', async () => {
    const out = await kubectl('1.33', ['explain', 'cronjobs.spec.jobTemplate.spec.template.spec.containers.ports']);
    expect(out).toMatch(/FIELD:\s+ports <\[\]ContainerPort>/);
    expect(out).toMatch(/containerPort\s+<integer> -required-/);
  });
});
