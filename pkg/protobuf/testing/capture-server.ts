/**
 * Test support: a tiny plain-HTTP "apiserver" that real kubectl can talk to. It serves /version
 * and legacy discovery, records every request body, and answers writes with 201 and the
 * decoded object. Tests point a throwaway kubeconfig at it and run kubectl.N.NN by full path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { decodeKubeProtobuf, isProtobufContentType } from '../index.ts';

export interface CapturedRequest {
  method: string;
  url: string;
  contentType: string;
  accept: string;
  body: Buffer;
}

type Resource = [name: string, kind: string, namespaced: boolean, shortNames?: string[]];

/** Just the resources the tests create: kubectl maps kinds to URLs through discovery. */
const discovery: Record<string, Resource[]> = {
  v1: [['namespaces', 'Namespace', false, ['ns']], ['configmaps', 'ConfigMap', true, ['cm']], ['secrets', 'Secret', true],
    ['pods', 'Pod', true, ['po']], ['services', 'Service', true, ['svc']], ['resourcequotas', 'ResourceQuota', true, ['quota']],
    ['serviceaccounts', 'ServiceAccount', true, ['sa']]],
  'apps/v1': [['deployments', 'Deployment', true, ['deploy']]],
  'batch/v1': [['jobs', 'Job', true], ['cronjobs', 'CronJob', true, ['cj']]],
  'rbac.authorization.k8s.io/v1': [['roles', 'Role', true], ['rolebindings', 'RoleBinding', true]],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb']]],
  'scheduling.k8s.io/v1': [['priorityclasses', 'PriorityClass', false, ['pc']]],
  'networking.k8s.io/v1': [['ingresses', 'Ingress', true, ['ing']]],
  'authorization.k8s.io/v1': [['selfsubjectaccessreviews', 'SelfSubjectAccessReview', false]],
  'authentication.k8s.io/v1': [['selfsubjectreviews', 'SelfSubjectReview', false]],
};

function resourceList(groupVersion: string, resources: Resource[]): unknown {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
    resources: resources.map(([name, kind, namespaced, shortNames]) => ({
      name, singularName: kind.toLowerCase(), namespaced, kind, shortNames,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

function groupList(): unknown {
  const groups = Object.keys(discovery).filter((gv) => gv.includes('/')).map((gv) => {
    const [name = '', version = ''] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function decodeBody(contentType: string, body: Buffer): Record<string, unknown> {
  if (isProtobufContentType(contentType)) return decodeKubeProtobuf(body).object;
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
}

function answer(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const send = (code: number, obj: unknown): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/version') {
    return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean', buildDate: '2024-12-11T17:59:15Z', goVersion: 'go1.23.3', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (path === '/apis') return send(200, groupList());
  const gv = path === '/api/v1' ? 'v1' : path.replace(/^\/apis\//, '');
  const resources = discovery[gv];
  if (req.method === 'GET' && resources) return send(200, resourceList(gv, resources));
  if (req.method === 'POST') {
    try {
      const object = decodeBody(req.headers['content-type'] ?? '', body);
      // Reviews answer with a status; kubectl prints it.
      if (object.kind === 'SelfSubjectAccessReview') object.status = { allowed: true };
      if (object.kind === 'SelfSubjectReview') object.status = { userInfo: { username: 'tester' } };
      return send(201, object);
    } catch (err) {
      return send(400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: String(err), reason: 'BadRequest', code: 400 });
    }
  }
  send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
}

export interface CaptureServer {
  requests: CapturedRequest[];
  /** Runs kubectl against this server (20 s limit); resolves with stdout, rejects with stderr. */
  kubectl(version: string, args: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Directory of the versioned kubectl binaries, or undefined when kubectl is not installed. */
export function kubectlDirectory(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      return dirname(realpathSync(join(dir, 'kubectl')));
    } catch { /* not in this directory */ }
  }
  return undefined;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '',
        accept: req.headers.accept ?? '', body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const home = mkdtempSync(join(tmpdir(), 'kubectl-capture-'));
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: capture',
    'clusters:', `- name: capture`, `  cluster: {server: "http://127.0.0.1:${port}"}`,
    'contexts:', '- name: capture', '  context: {cluster: capture, user: capture, namespace: default}',
    'users:', '- name: capture', '  user: {}', '',
  ].join('\n'));
  const binDir = kubectlDirectory() ?? '';
  return {
    requests,
    kubectl: (version, args) => new Promise((resolve, reject) => {
      // HOME and --cache-dir keep kubectl's discovery cache out of the real home directory.
      execFile(join(binDir, `kubectl.${version}`), ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
        { timeout: 20_000, env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig } },
        (err, stdout, stderr) => (err ? reject(new Error(`kubectl.${version} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
    }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
}
