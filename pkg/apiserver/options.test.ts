import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandFor, parseGoDuration, type CommandOutcome } from './options.ts';
import type { ApiServerConfig } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'apiserver-options-'));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const saKey = join(dir, 'sa.key');
const saPub = join(dir, 'sa.pub');
writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }));
writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
const tokenFile = join(dir, 'tokens.csv');
writeFileSync(tokenFile, 'secret-1,alice,1001,"dev,ops"\nsecret-2,bob,1002\n');

const required = [
  '--etcd-servers=http://127.0.0.1:2379', `--service-account-key-file=${saPub}`,
  `--service-account-signing-key-file=${saKey}`, '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
];

function config(outcome: CommandOutcome): ApiServerConfig {
  if (!('run' in outcome)) throw new Error(`expected a config, got exit ${outcome.exitCode}: ${outcome.stderr}`);
  return outcome.run;
}

function failure(outcome: CommandOutcome): { exitCode: number; lastLine: string; stderr: string } {
  if ('run' in outcome) throw new Error('expected a failure');
  const lines = outcome.stderr.trimEnd().split('\n');
  return { exitCode: outcome.exitCode, lastLine: lines[lines.length - 1]!, stderr: outcome.stderr };
}

/** The aggregate error of a validation failure (logged as "command failed"). */
function commandFailed(outcome: CommandOutcome): string {
  const f = failure(outcome);
  expect(f.exitCode).toBe(1);
  const line = JSON.parse(f.lastLine) as { msg: string; err: string };
  expect(line.msg).toBe('command failed');
  return line.err;
}

describe('kube-apiserver flags', () => {
  it('refuses an unknown flag with cobra\'s message after the usage, exit 1', () => {
    const f = failure(commandFor([...required, '--foo']));
    expect(f.exitCode).toBe(1);
    expect(f.lastLine).toBe('Error: unknown flag: --foo');
    expect(f.stderr.startsWith('Usage:\n  kube-apiserver [flags]\n')).toBe(true);
    expect(failure(commandFor(['--foo=bar'])).lastLine).toBe('Error: unknown flag: --foo');
    expect(failure(commandFor(['-x'])).lastLine).toBe("Error: unknown shorthand flag: 'x' in -x");
  });

  it('refuses malformed values with pflag\'s messages', () => {
    expect(failure(commandFor(['--secure-port=abc'])).lastLine)
      .toBe('Error: invalid argument "abc" for "--secure-port" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(failure(commandFor(['--anonymous-auth=maybe'])).lastLine)
      .toBe('Error: invalid argument "maybe" for "--anonymous-auth" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    expect(failure(commandFor(['--service-account-max-token-expiration=1d'])).lastLine)
      .toBe('Error: invalid argument "1d" for "--service-account-max-token-expiration" flag: time: unknown unit "d" in duration "1d"');
    expect(failure(commandFor(['--service-node-port-range=300-100'])).lastLine)
      .toBe('Error: invalid argument "300-100" for "--service-node-port-range" flag: end port cannot be less than start port: 300-100');
    expect(failure(commandFor(['--etcd-servers'])).lastLine).toBe('Error: flag needs an argument: --etcd-servers');
    expect(failure(commandFor([...required, 'extra'])).lastLine).toBe('Error: "kube-apiserver" does not take any arguments, got ["extra"]');
  });

  it('keeps every flag make run-local passes, in both = and space forms', () => {
    const cfg = config(commandFor([
      '--etcd-servers', 'http://127.0.0.1:2379,http://127.0.0.1:22379', '--etcd-prefix=/x/registry', '--secure-port=7443',
      '--bind-address=127.0.0.1', '--service-cluster-ip-range=10.0.0.0/16', '--service-node-port-range=31000-31999',
      `--service-account-key-file=${saPub}`, `--service-account-signing-key-file=${saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    ]));
    expect(cfg).toMatchObject({
      etcdServers: ['http://127.0.0.1:2379', 'http://127.0.0.1:22379'], etcdPrefix: '/x/registry', securePort: 7443,
      serviceClusterIPRange: '10.0.0.0/16', serviceNodePortRange: [31000, 31999], authorizationModes: ['AlwaysAllow'],
    });
    expect(cfg.tokenAuth?.serviceAccounts?.publicKeys).toHaveLength(1);
    expect(cfg.tokenAuth?.serviceAccounts?.signingKey?.type).toBe('private');
  });

  it('takes repeated issuers (the first signs) and defaults audiences to them', () => {
    const cfg = config(commandFor([...required, '--service-account-issuer=https://old.example', `--service-account-key-file=${saKey}`]));
    expect(cfg.tokenAuth?.serviceAccounts?.issuers).toEqual(['https://kubernetes.default.svc.cluster.local', 'https://old.example']);
    // Both key files: the public key, and the private key's public half.
    expect(cfg.tokenAuth?.serviceAccounts?.publicKeys).toHaveLength(2);
    expect(cfg.tokenAuth?.apiAudiences).toEqual([]);
    const withAuds = config(commandFor([...required, '--api-audiences=a,b', '--api-audiences=c']));
    expect(withAuds.tokenAuth?.apiAudiences).toEqual(['a', 'b', 'c']);
  });

  it('reads the token file, the max expiration and the authorization modes; anonymous is off under AlwaysAllow', () => {
    const cfg = config(commandFor([...required, `--token-auth-file=${tokenFile}`, '--service-account-max-token-expiration=2h',
      '--authorization-mode=AlwaysDeny']));
    expect(cfg.tokenAuth?.staticTokens?.get('secret-1')).toEqual({ username: 'alice', uid: '1001', groups: ['dev', 'ops'] });
    expect(cfg.tokenAuth?.staticTokens?.get('secret-2')).toEqual({ username: 'bob', uid: '1002', groups: [] });
    expect(cfg.tokenAuth?.serviceAccounts?.maxExpirationSeconds).toBe(7200);
    expect(cfg.authorizationModes).toEqual(['AlwaysDeny']);
    expect(cfg.anonymousAuth).toBe(true);
    const warnings: string[] = [];
    const allow = config(commandFor([...required, '--anonymous-auth'], (m) => warnings.push(m)));
    expect(allow.anonymousAuth).toBe(false);
    expect(warnings).toEqual(['AnonymousAuth is not allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false. You should use a different authorizer']);
    expect(config(commandFor([...required, '--anonymous-auth=false', '--authorization-mode=AlwaysDeny'])).anonymousAuth).toBe(false);
  });

  it('reports missing required flags together, as upstream', () => {
    expect(commandFailed(commandFor([]))).toBe('[--etcd-servers must be specified, service-account-issuer is a required flag, '
      + 'service-account-key-file is a required flag, --service-account-signing-key-file and --service-account-issuer are required flags]');
    expect(commandFailed(commandFor(['--etcd-servers=http://x:2379', `--service-account-key-file=${saPub}`,
      '--service-account-issuer=https://a']))).toBe('--service-account-signing-key-file, --service-account-issuer, and --api-audiences should be specified together');
    expect(commandFailed(commandFor([...required, '--authorization-mode=Foo']))).toBe('authorization-mode "Foo" is not a valid mode');
    expect(commandFailed(commandFor([...required, '--service-account-max-token-expiration=30m'])))
      .toBe('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
    expect(commandFailed(commandFor([...required, '--service-account-issuer=https://kubernetes.default.svc.cluster.local'])))
      .toBe('service-account-issuer "https://kubernetes.default.svc.cluster.local" is already specified');
    expect(commandFailed(commandFor([...required, `--token-auth-file=${saPub}`]))).toMatch(/^invalid authentication config: /);
    expect(commandFailed(commandFor([...required, '--secure-port=0'])))
      .toBe('--secure-port 0 must be between 1 and 65535, inclusive. It cannot be turned off with 0');
  });

  it('takes the admission plugins to disable, refusing names it does not know', () => {
    expect(config(commandFor([...required, '--disable-admission-plugins=ServiceAccount,ResourceQuota'])).disableAdmissionPlugins)
      .toEqual(['ServiceAccount', 'ResourceQuota']);
    expect(commandFailed(commandFor([...required, '--disable-admission-plugins=Foo', '--enable-admission-plugins=Priority,Bar'])))
      .toBe('[enable-admission-plugins plugin "Bar" is unknown, disable-admission-plugins plugin "Foo" is unknown]');
    expect(commandFailed(commandFor([...required, '--disable-admission-plugins=Priority', '--enable-admission-plugins=Priority'])))
      .toBe('[Priority] in enable-admission-plugins and disable-admission-plugins overlapped');
  });

  it('prints the usage for --help and exits 0', () => {
    const out = commandFor(['--help']);
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect('stdout' in out && out.stdout).toContain('--service-account-issuer strings');
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5400);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('90s')).toBe(90);
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(() => parseGoDuration('x')).toThrow('time: invalid duration "x"');
  });
});
