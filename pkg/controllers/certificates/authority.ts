/**
 * The certificate authority the csrsigning controller signs with (pkg/controller/certificates/
 * authority): a certificate built from the request's subject, public key and subjectAltNames, the
 * requested usages, backdated by five minutes and never outliving the CA.
 */
import { createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import {
  bitString, booleanTrue, children, content, decodeOid, nullValue, octetString, oid, raw, readNode, sequence, time, tlv,
  unsignedInteger, smallInteger,
} from '../../registry/certificates/der.ts';
import { decodePemBlocks, encodePem } from '../../registry/certificates/pem.ts';
import type { CertificateRequest } from '../../registry/certificates/request.ts';

export interface CertificateAuthority {
  /** DER of the CA's subject, the issuer of what it signs. */
  subjectDer: Buffer;
  /** The CA's subjectKeyIdentifier, copied into authorityKeyIdentifier. */
  subjectKeyId?: Buffer;
  notAfter: Date;
  key: KeyObject;
}

/** Loads the --cluster-signing-cert-file / --cluster-signing-key-file pair. */
export function loadAuthority(certPem: string, keyPem: string): CertificateAuthority {
  const block = decodePemBlocks(certPem).find((b) => b.type === 'CERTIFICATE');
  if (!block) throw new Error('no CERTIFICATE PEM block in the signing certificate file');
  const cert = new X509Certificate(block.bytes);
  const key = createPrivateKey(keyPem);
  if (!cert.checkPrivateKey(key)) throw new Error('the signing key does not match the signing certificate');
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version, serial, sigAlg, issuer, validity, subject, ... } }
  const tbs = children(children(readNode(block.bytes))[0]!);
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const subject = tbs[offset + 4]!;
  let subjectKeyId: Buffer | undefined;
  const extsWrapper = tbs.find((n) => n.tag === 0xa3);
  for (const ext of extsWrapper ? children(children(extsWrapper)[0]!) : []) {
    const parts = children(ext);
    if (decodeOid(parts[0]!) !== '2.5.29.14') continue;
    subjectKeyId = Buffer.from(content(readNode(Buffer.from(content(parts[parts.length - 1]!)))));
  }
  return { subjectDer: Buffer.from(raw(subject)), subjectKeyId, notAfter: new Date(cert.validTo), key };
}

const keyUsageBits: Record<string, number> = {
  signing: 0, 'digital signature': 0, 'content commitment': 1, 'key encipherment': 2, 'data encipherment': 3,
  'key agreement': 4, 'cert sign': 5, 'crl sign': 6, 'encipher only': 7, 'decipher only': 8,
};
const extKeyUsageOids: Record<string, string> = {
  any: '2.5.29.37.0', 'server auth': '1.3.6.1.5.5.7.3.1', 'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3', 'email protection': '1.3.6.1.5.5.7.3.4', 's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5', 'ipsec tunnel': '1.3.6.1.5.5.7.3.6', 'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8', 'ocsp signing': '1.3.6.1.5.5.7.3.9', 'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

/** keyUsagesFromStrings: the KeyUsage bit string (undefined when empty) and the extended usage OIDs. */
export function keyUsagesFromStrings(usages: readonly string[]): { keyUsage?: Buffer; extKeyUsage: string[] } {
  let bits = 0;
  const ext = new Set<string>();
  const unrecognized: string[] = [];
  for (const u of usages) {
    if (u in keyUsageBits) bits |= 1 << keyUsageBits[u]!;
    else if (u in extKeyUsageOids) ext.add(extKeyUsageOids[u]!);
    else unrecognized.push(u);
  }
  if (unrecognized.length > 0) throw new Error(`unrecognized usage values: [${unrecognized.map((u) => JSON.stringify(u)).join(' ')}]`);
  if (bits === 0) return { extKeyUsage: [...ext] };
  // Bit 0 is the most significant bit of the first byte; trailing zero bits are "unused".
  const bytes = bits > 0xff ? 2 : 1;
  const value = Buffer.alloc(bytes);
  let last = 0;
  for (let i = 0; i < 9; i++) {
    if (!(bits & (1 << i))) continue;
    value[i >> 3]! |= 0x80 >> (i & 7);
    last = i;
  }
  return { keyUsage: bitString(value, bytes * 8 - (last + 1)), extKeyUsage: [...ext] };
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));

function signatureAlgorithm(key: KeyObject): { algId: Buffer; digest: string } {
  if (key.asymmetricKeyType === 'rsa') return { algId: sequence(oid('1.2.840.113549.1.1.11'), nullValue()), digest: 'sha256' };
  if (key.asymmetricKeyType === 'ec') return { algId: sequence(oid('1.2.840.10045.4.3.2')), digest: 'sha256' };
  throw new Error(`unsupported signing key type ${String(key.asymmetricKeyType)}`);
}

export interface SignOptions {
  usages: readonly string[];
  /** The certificate's lifetime. */
  ttlMs: number;
  now: Date;
}

const backdateMs = 5 * 60 * 1000;
const shortMs = 8 * 60 * 60 * 1000;

/** Signs `req`; returns the PEM certificate. Throws when the CA has expired or a usage is unknown. */
export function signCertificate(ca: CertificateAuthority, req: CertificateRequest, opts: SignOptions): string {
  const { keyUsage, extKeyUsage } = keyUsagesFromStrings(opts.usages);
  const now = opts.now.getTime();
  const notBefore = new Date(now - backdateMs);
  // A short-lived certificate keeps its full lifetime after the backdate.
  let notAfter = new Date(opts.ttlMs < shortMs ? now + opts.ttlMs : now + opts.ttlMs - backdateMs);
  if (notAfter.getTime() >= ca.notAfter.getTime()) notAfter = ca.notAfter;
  if (now >= ca.notAfter.getTime()) {
    throw new Error(`refusing to sign a certificate that expired in the past: NotAfter=${ca.notAfter.toISOString()}`);
  }
  const extensions: Buffer[] = [];
  if (keyUsage) extensions.push(extension('2.5.29.15', true, keyUsage));
  if (extKeyUsage.length > 0) extensions.push(extension('2.5.29.37', false, sequence(...extKeyUsage.map(oid))));
  extensions.push(extension('2.5.29.19', true, sequence()));
  if (ca.subjectKeyId) extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, ca.subjectKeyId))));
  if (req.sanDer) extensions.push(extension('2.5.29.17', false, req.sanDer));

  const serial = randomBytes(16);
  const { algId, digest } = signatureAlgorithm(ca.key);
  const tbs = sequence(
    tlv(0xa0, smallInteger(2)),
    unsignedInteger(serial),
    algId,
    ca.subjectDer,
    sequence(time(notBefore), time(notAfter)),
    req.subjectDer,
    req.publicKeyDer,
    tlv(0xa3, sequence(...extensions)),
  );
  const signature = sign(digest, tbs, ca.key);
  return encodePem('CERTIFICATE', sequence(tbs, algId, bitString(signature)));
}
