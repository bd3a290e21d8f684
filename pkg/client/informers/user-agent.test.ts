import type https from 'node:https';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { buildUserAgent, withUserAgent } from './user-agent.ts';

describe('buildUserAgent', () => {
  it('has client-go shape: program/version (os/arch) kubernetes/commit', () => {
    const ua = buildUserAgent('kube-controller-manager', { gitVersion: 'v1.32.0', gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53' });
    expect(ua).toMatch(/^kube-controller-manager\/v1\.32\.0 \([a-z0-9]+\/[a-z0-9]+\) kubernetes\/70d3cc9$/);
    if (process.platform === 'linux' && process.arch === 'x64') expect(ua).toContain('(linux/amd64)');
  });
});

describe('withUserAgent', () => {
  it('adds the header to prepared requests, keeping the credentials, and leaves the original alone', async () => {
    const original = new KubeConfig();
    original.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:6443' }],
      users: [{ name: 'u', token: 'secret' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const copy = withUserAgent(original, 'test-agent/v1');
    const opts: https.RequestOptions = { headers: { Accept: 'application/json' } };
    await copy.applyToHTTPSOptions(opts);
    expect(opts.headers).toMatchObject({ Accept: 'application/json', Authorization: 'Bearer secret', 'User-Agent': 'test-agent/v1' });
    expect(copy.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    const plain: https.RequestOptions = {};
    await original.applyToHTTPSOptions(plain);
    expect(plain.headers).not.toHaveProperty('User-Agent');
  });
});
