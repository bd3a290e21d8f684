/**
 * The one way this project makes X.509 certificates (node-forge for the certificate, Node's native
 * RSA generator for keys): the local PKI (hack/pki.ts), the fake-kubelet's self-signed serving
 * certificate, and test users' client certificates all come from here.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface KeyPair {
  /** PKCS#1 PEM */
  privatePem: string;
  /** SPKI PEM */
  publicPem: string;
}

export async function newRsaKey(): Promise<KeyPair> {
  // Node's native generator; node-forge's pure-JS one takes seconds per key.
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

export interface CertSpec {
  /** e.g. [{ name: 'organizationName', value: 'system:masters' }, { name: 'commonName', value: 'admin' }] */
  subject: forge.pki.CertificateField[];
  /** Validity from now; fractions allowed. */
  days: number;
  isCa: boolean;
  extKeyUsage?: 'serverAuth' | 'clientAuth';
  altNames?: { dns: readonly string[]; ips: readonly string[] };
}

/** The CA that signs: its certificate and private key. */
export interface CertSigner {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export function signerFromPem(certPem: string, keyPem: string): CertSigner {
  return { cert: forge.pki.certificateFromPem(certPem), key: forge.pki.privateKeyFromPem(keyPem) };
}

const day = 24 * 60 * 60 * 1000;

/** A PEM certificate for `key`, signed by `signer`, or self-signed with the key itself when absent. */
export function issueCertificate(spec: CertSpec, key: KeyPair, signer?: CertSigner): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicPem);
  // Positive 16-byte serial: the top bit must be clear for DER INTEGER encoding.
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000); // tolerate small clock skew
  cert.validity.notAfter = new Date(now + spec.days * day);
  cert.setSubject(spec.subject);
  cert.setIssuer(signer ? signer.cert.subject.attributes : spec.subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.isCa, critical: true },
    spec.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (signer) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: signer.cert.generateSubjectKeyIdentifier().getBytes() });
  }
  if (spec.extKeyUsage) extensions.push({ name: 'extKeyUsage', [spec.extKeyUsage]: true });
  if (spec.altNames) {
    const dns = spec.altNames.dns.map((value) => ({ type: 2, value }));
    const ips = spec.altNames.ips.map((ip) => ({ type: 7, ip }));
    extensions.push({ name: 'subjectAltName', altNames: [...dns, ...ips] });
  }
  cert.setExtensions(extensions);
  cert.sign(signer ? signer.key : forge.pki.privateKeyFromPem(key.privatePem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
