/**
 * Builds PKCS#10 certificate requests (x509.CreateCertificateRequest), for clients of the CSR API:
 * the kubelet-style bootstrap of a simulated node, and tests. RSA, ECDSA and Ed25519 keys.
 */
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { bitString, nullValue, octetString, oid, sequence, smallInteger, tlv } from './der.ts';
import { encodePem } from './pem.ts';

export interface RequestSubject {
  commonName?: string;
  organization?: string[];
}

export interface RequestSans {
  dnsNames?: string[];
  ipAddresses?: string[];
  emailAddresses?: string[];
  uris?: string[];
}

const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const attribute = (type: string, value: string): Buffer => tlv(0x31, sequence(oid(type), utf8(value)));

function subjectDer(subject: RequestSubject): Buffer {
  const rdns = [
    ...(subject.organization ?? []).map((o) => attribute('2.5.4.10', o)),
    ...(subject.commonName !== undefined ? [attribute('2.5.4.3', subject.commonName)] : []),
  ];
  return sequence(...rdns);
}

function ipBytes(ip: string): Buffer {
  if (ip.includes('.')) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function sanExtension(sans: RequestSans): Buffer | undefined {
  const names = [
    ...(sans.emailAddresses ?? []).map((e) => tlv(0x81, Buffer.from(e, 'latin1'))),
    ...(sans.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'latin1'))),
    ...(sans.uris ?? []).map((u) => tlv(0x86, Buffer.from(u, 'latin1'))),
    ...(sans.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (names.length === 0) return undefined;
  return sequence(oid('2.5.29.17'), octetString(sequence(...names)));
}

function algorithmFor(key: KeyObject): { algId: Buffer; digest: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa': return { algId: sequence(oid('1.2.840.113549.1.1.11'), nullValue()), digest: 'sha256' };
    case 'ec': return { algId: sequence(oid('1.2.840.10045.4.3.2')), digest: 'sha256' };
    case 'ed25519': return { algId: sequence(oid('1.3.101.112')), digest: null };
    default: throw new Error(`unsupported key type ${String(key.asymmetricKeyType)}`);
  }
}

/** A PEM "CERTIFICATE REQUEST" signed by `privateKey`. */
export function createCertificateRequestPem(privateKey: KeyObject, subject: RequestSubject, sans: RequestSans = {}): string {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const san = sanExtension(sans);
  const attributes = san
    ? tlv(0xa0, sequence(oid('1.2.840.113549.1.9.14'), tlv(0x31, sequence(san))))
    : tlv(0xa0);
  const info = sequence(smallInteger(0), subjectDer(subject), spki, attributes);
  const { algId, digest } = algorithmFor(privateKey);
  const signature = sign(digest, info, privateKey);
  return encodePem('CERTIFICATE REQUEST', sequence(info, algId, bitString(signature)));
}
