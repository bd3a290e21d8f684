/**
 * kube-apiserver's command line (cmd/kube-apiserver/app/options): flags parsed as pflag does
 * (`--name=value` or `--name value`, booleans only as `--name[=bool]`, repeatable lists), an
 * unknown or malformed flag refused with cobra's message, then completion and validation as
 * upstream (key and token files read, required flags checked) into an ApiServerConfig.
 */
import { admissionPluginNames } from '../admission/plugins/index.ts';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCsv, readTokenFile } from '../auth/authentication/token-file.ts';
import { parsePrivateKeyPEM, readPublicKeys, readSigningKey } from '../auth/serviceaccount/keys.ts';
import { parseAuthorizationModes, type AuthorizationMode } from './authorization-modes.ts';
import type { ApiServerConfig } from './run.ts';

type FlagType = 'string' | 'int' | 'bool' | 'stringSlice' | 'stringArray' | 'duration' | 'portRange';

interface FlagSpec {
  name: string;
  type: FlagType;
  /** pflag's printed default; absent: none. */
  default?: string;
  usage: string;
}

/** Every flag the apiserver takes; each changes what it does. */
export const apiserverFlags: readonly FlagSpec[] = [
  { name: 'etcd-servers', type: 'stringSlice', usage: 'List of etcd servers to connect with (scheme://ip:port), comma separated.' },
  { name: 'etcd-prefix', type: 'string', default: '/registry', usage: 'The prefix to prepend to all resource paths in etcd.' },
  { name: 'secure-port', type: 'int', default: '6443', usage: 'The port on which to serve HTTPS with authentication and authorization.' },
  { name: 'bind-address', type: 'string', default: '127.0.0.1', usage: 'The IP address on which to listen for the --secure-port port.' },
  { name: 'tls-cert-file', type: 'string', usage: 'File containing the default x509 Certificate for HTTPS.' },
  { name: 'tls-private-key-file', type: 'string', usage: 'File containing the default x509 private key matching --tls-cert-file.' },
  { name: 'client-ca-file', type: 'string', usage: 'If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.' },
  { name: 'service-cluster-ip-range', type: 'string', default: '10.96.0.0/12', usage: 'A CIDR notation IP range from which to assign service cluster IPs.' },
  { name: 'service-node-port-range', type: 'portRange', default: '30000-32767', usage: 'A port range to reserve for services with NodePort visibility.' },
  { name: 'anonymous-auth', type: 'bool', default: 'true', usage: 'Enables anonymous requests to the secure port of the API server. Requests that are not rejected by another authentication method are treated as anonymous requests.' },
  { name: 'token-auth-file', type: 'string', usage: 'If set, the file that will be used to secure the secure port of the API server via token authentication.' },
  { name: 'api-audiences', type: 'stringSlice', usage: 'Identifiers of the API. The service account token authenticator will validate that tokens used against the API are bound to at least one of these audiences. Defaults to the --service-account-issuer values.' },
  { name: 'service-account-issuer', type: 'stringArray', usage: 'Identifier of the service account token issuer. May be specified multiple times; the first is used to generate tokens and all are accepted.' },
  { name: 'service-account-key-file', type: 'stringArray', usage: 'File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens. May be specified multiple times.' },
  { name: 'service-account-signing-key-file', type: 'string', usage: 'Path to the file that contains the current private key of the service account token issuer.' },
  { name: 'service-account-max-token-expiration', type: 'duration', default: '0s', usage: 'The maximum validity duration of a token created by the service account token issuer.' },
  { name: 'authorization-mode', type: 'stringSlice', default: '[AlwaysAllow]', usage: 'Ordered list of plug-ins to do authorization on secure port. Comma-delimited list of: AlwaysAllow,AlwaysDeny,RBAC,Node.' },
  { name: 'enable-admission-plugins', type: 'stringSlice', usage: 'admission plugins that should be enabled in addition to default enabled ones. Comma-delimited list of: ' + admissionPluginNames.join(', ') + '.' },
  { name: 'disable-admission-plugins', type: 'stringSlice', usage: 'admission plugins that should be disabled although they are in the default enabled plugins list. Comma-delimited list of: ' + admissionPluginNames.join(', ') + '.' },
  { name: 'audit-policy-file', type: 'string', usage: 'Path to the file that defines the audit policy configuration.' },
  { name: 'audit-log-path', type: 'string', usage: 'If set, all requests coming to the apiserver will be logged to this file. \'-\' means standard out.' },
  { name: 'kubelet-certificate-authority', type: 'string', usage: 'Path to a cert file for the certificate authority.' },
  { name: 'kubelet-client-certificate', type: 'string', usage: 'Path to a client cert file for TLS.' },
  { name: 'kubelet-client-key', type: 'string', usage: 'Path to a client key file for TLS.' },
  { name: 'kubelet-preferred-address-types', type: 'stringSlice', default: '[Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP]', usage: 'List of the preferred NodeAddressTypes to use for kubelet connections.' },
];

/** A command-line error cobra reports with the usage text ("Error: unknown flag: --foo"). */
export class FlagError extends Error {}

export type FlagValues = Map<string, string | number | boolean | string[] | [number, number]>;

/** strconv.ParseBool. */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

const durationUnits: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** time.ParseDuration, in seconds. */
export function parseGoDuration(text: string): number {
  const bad = new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') { sign = s[0] === '-' ? -1 : 1; s = s.slice(1); }
  if (s === '0') return 0;
  if (s === '') throw bad;
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') throw bad;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === '') throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    const factor = durationUnits[unit];
    if (factor === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    total += Number(num[0]) * factor;
    s = s.slice(unit.length);
  }
  return sign * total;
}

/** strconv.Atoi's error text for a value that is not a decimal integer. */
function atoi(v: string, fn = 'Atoi'): number {
  if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.${fn}: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** utilnet.PortRange.Set: "30000-32767" or a single port. */
function parsePortRange(value: string): [number, number] {
  const v = value.trim();
  const dash = v.indexOf('-');
  const parse = (p: string): number => {
    try { return atoi(p); } catch (err) { throw new Error(`unable to parse port range: ${v}: ${(err as Error).message}`); }
  };
  if (dash === -1) { const p = parse(v); return [p, p]; }
  const lo = parse(v.slice(0, dash));
  const hi = parse(v.slice(dash + 1));
  if (hi < lo) throw new Error(`end port cannot be less than start port: ${v}`);
  return [lo, hi];
}

function convert(spec: FlagSpec, raw: string, previous: FlagValues): FlagValues extends Map<string, infer V> ? V : never {
  switch (spec.type) {
    case 'string': return raw;
    case 'int': return atoi(raw, 'ParseInt');
    case 'bool': {
      const b = parseBool(raw);
      if (b === undefined) throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
      return b;
    }
    case 'duration': return parseGoDuration(raw);
    case 'portRange': return parsePortRange(raw);
    case 'stringSlice': {
      // pflag reads a slice value as one CSV record; repeating the flag appends.
      const items = raw === '' ? [] : (parseCsv(raw)[0] ?? []);
      return [...((previous.get(spec.name) as string[] | undefined) ?? []), ...items];
    }
    case 'stringArray': return [...((previous.get(spec.name) as string[] | undefined) ?? []), raw];
  }
}

/** pflag's parse of argv (program arguments only); throws FlagError; `--help` gives { help: true }. */
export function parseFlags(argv: readonly string[]): { values: FlagValues; help: boolean } {
  const values: FlagValues = new Map();
  const byName = new Map(apiserverFlags.map((f) => [f.name, f]));
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') { positional.push(arg); continue; }
    if (!arg.startsWith('--')) {
      const c = arg[1]!;
      if (c === 'h') { help = true; continue; }
      throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
    }
    const body = arg.slice(2);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw new FlagError(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    // WordSepNormalizeFunc: --etcd_servers is --etcd-servers.
    const name = (eq === -1 ? body : body.slice(0, eq)).replaceAll('_', '-');
    if (name === 'help') { help = true; continue; }
    const spec = byName.get(name);
    if (!spec) throw new FlagError(`unknown flag: --${name}`);
    let raw: string;
    if (eq !== -1) raw = body.slice(eq + 1);
    else if (spec.type === 'bool') raw = 'true';
    else if (i + 1 < argv.length) raw = argv[++i]!;
    else throw new FlagError(`flag needs an argument: --${name}`);
    try {
      values.set(name, convert(spec, raw, values));
    } catch (err) {
      throw new FlagError(`invalid argument ${JSON.stringify(raw)} for "--${name}" flag: ${(err as Error).message}`);
    }
  }
  if (positional.some((a) => a !== '')) {
    throw new Error(`"kube-apiserver" does not take any arguments, got [${positional.map((a) => JSON.stringify(a)).join(' ')}]`);
  }
  return { values, help };
}

export function usage(): string {
  const lines = apiserverFlags.map((f) => {
    const type = f.type === 'bool' ? '' : ` ${f.type === 'stringArray' || f.type === 'stringSlice' ? 'strings' : f.type === 'portRange' ? 'portRange' : f.type}`;
    const def = f.default !== undefined && f.type !== 'bool' ? ` (default ${f.type === 'string' ? JSON.stringify(f.default) : f.default})` : f.type === 'bool' && f.default === 'true' ? ' (default true)' : '';
    return `      --${f.name}${type}\n                ${f.usage}${def}`;
  });
  return `Usage:\n  kube-apiserver [flags]\n\nFlags:\n${lines.join('\n')}\n  -h, --help\n                help for kube-apiserver\n`;
}

/** Go's utilerrors.NewAggregate(...).Error(). */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

/** Errors found while completing and validating the flags; the apiserver does not start. */
export class OptionsError extends Error {}

function str(values: FlagValues, name: string): string | undefined {
  return values.get(name) as string | undefined;
}

function list(values: FlagValues, name: string): string[] {
  return (values.get(name) as string[] | undefined) ?? [];
}

/** A valid key in the TLS key file verifies tokens when no --service-account-key-file is given. */
function isValidKeyFile(path: string | undefined): path is string {
  if (!path) return false;
  try {
    parsePrivateKeyPEM(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The error Go's url.Parse gives for an issuer with a ':', for the cases it refuses. */
function urlParseError(issuer: string): string | undefined {
  if (issuer.startsWith(':')) return `parse ${JSON.stringify(issuer)}: missing protocol scheme`;
  const bad = /%(?![0-9a-fA-F]{2})..?/.exec(issuer);
  if (bad) return `parse ${JSON.stringify(issuer)}: invalid URL escape ${JSON.stringify(bad[0].slice(0, 3))}`;
  if (/[\x00-\x1f\x7f]/.test(issuer)) return `parse ${JSON.stringify(issuer)}: net/url: invalid control character in URL`;
  return undefined;
}

/**
 * Complete then Validate, as kube-apiserver's RunE does: files are read, defaults filled in, and
 * every problem reported together (OptionsError with the aggregate message).
 */
export function completeOptions(values: FlagValues, warn: (msg: string) => void = () => undefined): ApiServerConfig {
  const issuers = list(values, 'service-account-issuer');
  const signingKeyFile = str(values, 'service-account-signing-key-file');
  const maxExpiration = (values.get('service-account-max-token-expiration') as number | undefined) ?? 0;
  let modes: AuthorizationMode[] = ['AlwaysAllow'];
  let keyFiles = list(values, 'service-account-key-file');

  // Complete: a token issuer needs a key and an issuer; a bad key or bound fails at once.
  let signingKey: KeyObject | undefined;
  if (signingKeyFile && issuers.length > 0 && issuers[0] !== '') {
    try {
      signingKey = readSigningKey(signingKeyFile);
    } catch (err) {
      throw new OptionsError((err as Error).message);
    }
    if (maxExpiration !== 0 && (maxExpiration < 3600 || maxExpiration > 2 ** 32)) {
      throw new OptionsError('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
    }
  }
  const tlsKey = str(values, 'tls-private-key-file');
  if (keyFiles.length === 0 && isValidKeyFile(tlsKey)) keyFiles = [tlsKey];

  // Validate.
  const errors: string[] = [];
  const etcdServers = list(values, 'etcd-servers');
  if (etcdServers.length === 0) errors.push('--etcd-servers must be specified');
  const port = (values.get('secure-port') as number | undefined) ?? 6443;
  if (port < 1 || port > 65535) errors.push(`--secure-port ${port} must be between 1 and 65535, inclusive. It cannot be turned off with 0`);
  const seen = new Set<string>();
  for (const issuer of issuers) {
    const urlError = issuer.includes(':') ? urlParseError(issuer) : undefined;
    if (urlError) {
      errors.push(`service-account-issuer ${JSON.stringify(issuer)} contained a ':' but was not a valid URL: ${urlError}`);
      continue;
    }
    if (issuer === '') { errors.push('service-account-issuer should not be an empty string'); continue; }
    if (seen.has(issuer)) { errors.push(`service-account-issuer ${JSON.stringify(issuer)} is already specified`); continue; }
    seen.add(issuer);
  }
  if (issuers.length === 0) errors.push('service-account-issuer is a required flag');
  if (keyFiles.length === 0) errors.push('service-account-key-file is a required flag');
  const publicKeys: KeyObject[] = [];
  for (const file of keyFiles) {
    try {
      publicKeys.push(...readPublicKeys(file));
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  try {
    modes = parseAuthorizationModes(list(values, 'authorization-mode').join(',') || 'AlwaysAllow');
  } catch (err) {
    errors.push((err as Error).message);
  }
  const attempted = Boolean(signingKeyFile) || (issuers.length > 0 && issuers[0] !== '') || list(values, 'api-audiences').length > 0;
  if (!attempted) errors.push('--service-account-signing-key-file and --service-account-issuer are required flags');
  else if (!signingKey) errors.push('--service-account-signing-key-file, --service-account-issuer, and --api-audiences should be specified together');

  let staticTokens;
  const tokenFile = str(values, 'token-auth-file');
  if (tokenFile) {
    try {
      staticTokens = readTokenFile(tokenFile);
    } catch (err) {
      errors.push(`invalid authentication config: ${(err as Error).message}`);
    }
  }
  errors.push(...admissionPluginErrors(list(values, 'enable-admission-plugins'), list(values, 'disable-admission-plugins')));
  if (errors.length > 0) throw new OptionsError(aggregate(errors));

  let anonymousAuth = (values.get('anonymous-auth') as boolean | undefined) ?? true;
  if (anonymousAuth && modes.includes('AlwaysAllow')) {
    warn('AnonymousAuth is not allowed with the AlwaysAllow authorizer. Resetting AnonymousAuth to false. You should use a different authorizer');
    anonymousAuth = false;
  }
  return {
    etcdServers,
    etcdPrefix: str(values, 'etcd-prefix') ?? '/registry',
    bindAddress: str(values, 'bind-address') ?? '127.0.0.1',
    securePort: port,
    tlsCertFile: str(values, 'tls-cert-file'),
    tlsPrivateKeyFile: str(values, 'tls-private-key-file'),
    clientCAFile: str(values, 'client-ca-file'),
    serviceClusterIPRange: str(values, 'service-cluster-ip-range') ?? '10.96.0.0/12',
    serviceNodePortRange: (values.get('service-node-port-range') as [number, number] | undefined) ?? [30000, 32767],
    authorizationModes: modes,
    anonymousAuth,
    tokenAuth: {
      staticTokens,
      serviceAccounts: { issuers, publicKeys, signingKey, maxExpirationSeconds: maxExpiration },
      apiAudiences: list(values, 'api-audiences'),
    },
    auditPolicyFile: str(values, 'audit-policy-file'),
    auditLogPath: str(values, 'audit-log-path'),
    disableAdmissionPlugins: list(values, 'disable-admission-plugins'),
    kubeletCertificateAuthority: str(values, 'kubelet-certificate-authority'),
    kubeletClientCertificate: str(values, 'kubelet-client-certificate'),
    kubeletClientKey: str(values, 'kubelet-client-key'),
    kubeletPreferredAddressTypes: values.has('kubelet-preferred-address-types') ? list(values, 'kubelet-preferred-address-types') : undefined,
  };
}

/** AdmissionOptions.Validate: every named plugin must exist, and none may be both enabled and disabled. */
function admissionPluginErrors(enable: string[], disable: string[]): string[] {
  const errors: string[] = [];
  for (const p of enable) if (!admissionPluginNames.includes(p)) errors.push(`enable-admission-plugins plugin "${p}" is unknown`);
  for (const p of disable) if (!admissionPluginNames.includes(p)) errors.push(`disable-admission-plugins plugin "${p}" is unknown`);
  const both = enable.filter((p) => disable.includes(p));
  if (both.length > 0) errors.push(`[${both.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`);
  return errors;
}

/** What the command does with its arguments: run with a config, or exit with output. */
export type CommandOutcome =
  | { run: ApiServerConfig }
  | { exitCode: number; stdout: string; stderr: string };

/** Parse, complete and validate; the error output is cobra's (`Error: …` after the usage for flag errors). */
export function commandFor(argv: readonly string[], warn?: (msg: string) => void): CommandOutcome {
  let parsed;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    if (err instanceof FlagError) return { exitCode: 1, stdout: '', stderr: `${usage()}\nError: ${err.message}\n` };
    return { exitCode: 1, stdout: '', stderr: `Error: ${(err as Error).message}\n` };
  }
  if (parsed.help) return { exitCode: 0, stdout: usage(), stderr: '' };
  try {
    return { run: completeOptions(parsed.values, warn) };
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    return { exitCode: 1, stdout: '', stderr: `${JSON.stringify({ ts: new Date().toISOString(), level: 'error', component: 'kube-apiserver', msg: 'command failed', err: err.message })}\n` };
  }
}
