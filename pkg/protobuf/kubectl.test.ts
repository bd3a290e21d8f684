/**
 * Real kubectl request bodies: run kubectl 1.32 and 1.33 against a capture server, decode what
 * they POST, and compare with what the same command prints with `--dry-run=client -o json`
 * (Go's own JSON for the object it would send). Re-encoding must give kubectl's exact bytes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubeProtobuf, encodeKubeProtobuf, isProtobufContentType } from './index.ts';
import { type CaptureServer, kubectlDirectory, startCaptureServer } from './testing/capture-server.ts';

const versions = ['1.32', '1.33'];
const binDir = kubectlDirectory();
const haveKubectl = binDir !== undefined && versions.every((v) => existsSync(join(binDir, `kubectl.${v}`)));

/** Commands whose request body kubectl can also print with --dry-run=client -o json. */
const creates: Array<{ args: string[]; protobuf: boolean }> = [
  { args: ['create', 'namespace', 'foo'], protobuf: true },
  { args: ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=empty='], protobuf: true },
  { args: ['create', 'secret', 'generic', 's', '--from-literal=k=v', '--from-literal=bin=\u00ff\u0001'], protobuf: true },
  { args: ['create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=8080'], protobuf: true },
  { args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:http', '--tcp=443:8443'], protobuf: true },
  { args: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'], protobuf: true },
  { args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'], protobuf: true },
  { args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps'], protobuf: true },
  { args: ['create', 'rolebinding', 'rb', '--role=r', '--user=alice', '--serviceaccount=default:sa'], protobuf: true },
  { args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%'], protobuf: true },
  { args: ['create', 'quota', 'q', '--hard=cpu=1500m,memory=2Gi,pods=10'], protobuf: true },
  { args: ['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never'], protobuf: true },
  { args: ['create', 'ingress', 'ing', '--rule=example.com/path*=svc:80', '--class=nginx'], protobuf: true },
  // `run` goes through the dynamic client: JSON even in 1.32/1.33.
  { args: ['run', 'p', '--image=nginx', '--port=80', '--labels=app=p', '--env=A=1'], protobuf: false },
];

/** The same command printing its object instead of sending it; flags go before a `--`. */
function withDryRun(args: string[]): string[] {
  const dash = args.indexOf('--');
  const flags = ['--dry-run=client', '-o', 'json'];
  return dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
}

describe('real kubectl request bodies', () => {
  let server: CaptureServer;
  beforeAll(async () => {
    // kubectl 1.27–1.33 are part of this project's toolchain (README, Requirements): missing is a failure.
    if (!haveKubectl) throw new Error(`kubectl.${versions.join(' and kubectl.')} must be installed beside kubectl on PATH`);
    server = await startCaptureServer();
  });
  afterAll(async () => { await server?.close(); });

  async function capture(version: string, args: string[]) {
    const before = server.requests.length;
    await server.kubectl(version, args);
    const posts = server.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    return posts[0]!;
  }

  for (const version of versions) {
    for (const { args, protobuf } of creates) {
      it(`kubectl ${version} ${args.slice(0, 3).join(' ')}`, async () => {
        const sent = await capture(version, args);
        expect(isProtobufContentType(sent.contentType)).toBe(protobuf);
        const expected: unknown = JSON.parse(await server.kubectl(version, withDryRun(args)));
        if (!protobuf) {
          expect(JSON.parse(sent.body.toString('utf8'))).toEqual(expected);
          return;
        }
        expect(sent.accept).toContain('application/vnd.kubernetes.protobuf');
        const decoded = decodeKubeProtobuf(sent.body);
        expect(decoded.object).toEqual(expected);
        expect(decoded.apiVersion).toBe((expected as { apiVersion: string }).apiVersion);
        // Our encoder writes what gogo writes: the same bytes kubectl sent.
        expect(encodeKubeProtobuf(decoded.object).toString('hex')).toBe(sent.body.toString('hex'));
      });
    }

    it(`kubectl ${version} auth can-i sends a SelfSubjectAccessReview`, async () => {
      const sent = await capture(version, ['auth', 'can-i', 'create', 'deployments.apps', '--subresource=scale', '-n', 'team']);
      expect(isProtobufContentType(sent.contentType)).toBe(true);
      const decoded = decodeKubeProtobuf(sent.body);
      expect(decoded.object).toMatchObject({
        kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: { namespace: 'team', verb: 'create', group: 'apps', resource: 'deployments', subresource: 'scale' } },
      });
      expect(encodeKubeProtobuf(decoded.object).equals(sent.body)).toBe(true);
    });

    it(`kubectl ${version} auth whoami sends a SelfSubjectReview`, async () => {
      const sent = await capture(version, ['auth', 'whoami']);
      expect(isProtobufContentType(sent.contentType)).toBe(true);
      const decoded = decodeKubeProtobuf(sent.body);
      expect(decoded).toMatchObject({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
      expect(decoded.object.metadata).toEqual({ creationTimestamp: null });
    });
  }
});
