/**
 * PKCS#10 certificate requests, as certificates.ParseCSR and x509.CertificateRequest.CheckSignature:
 * the first PEM block must be a CERTIFICATE REQUEST, it must parse, and its self-signature must
 * verify. Errors carry Go's messages, since they end up in Status messages.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { children, content, decodeOid, decodeString, DerError, raw, readNode, type DerNode } from './der.ts';
import { decodePemBlocks } from './pem.ts';

export interface CertificateRequest {
  subject: { commonName: string; organization: string[] };
  /** DER of the subject Name, copied as-is into issued certificates. */
  subjectDer: Buffer;
  /** DER of the SubjectPublicKeyInfo. */
  publicKeyDer: Buffer;
  publicKey: KeyObject;
  /** The subjectAltName extension value (DER GeneralNames), when requested. */
  sanDer?: Buffer;
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: string[];
  uris: string[];
  signatureAlgorithm: string;
  /** The signed bytes (certificationRequestInfo) and the signature over them. */
  signed: Buffer;
  signature: Buffer;
}

const oidCommonName = '2.5.4.3';
const oidOrganization = '2.5.4.10';
const oidExtensionRequest = '1.2.840.113549.1.9.14';
const oidSubjectAltName = '2.5.29.17';

/** Signature algorithm OID → [Go name, digest for node:crypto (undefined: the key decides)]. */
const signatureAlgorithms: Record<string, [string, string | undefined]> = {
  '1.2.840.113549.1.1.5': ['SHA1-RSA', 'sha1'],
  '1.2.840.113549.1.1.11': ['SHA256-RSA', 'sha256'],
  '1.2.840.113549.1.1.12': ['SHA384-RSA', 'sha384'],
  '1.2.840.113549.1.1.13': ['SHA512-RSA', 'sha512'],
  '1.2.840.10045.4.1': ['ECDSA-SHA1', 'sha1'],
  '1.2.840.10045.4.3.2': ['ECDSA-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ECDSA-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ECDSA-SHA512', 'sha512'],
  '1.3.101.112': ['Ed25519', undefined],
};

function expect(node: DerNode | undefined, tag: number): DerNode {
  if (!node || node.tag !== tag) throw new DerError('x509: malformed certificate request');
  return node;
}

function readSubject(name: DerNode): CertificateRequest['subject'] {
  const subject = { commonName: '', organization: [] as string[] };
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) continue;
      const id = decodeOid(type);
      if (id === oidCommonName) subject.commonName = decodeString(value);
      else if (id === oidOrganization) subject.organization.push(decodeString(value));
    }
  }
  return subject;
}

function ipString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

function readSans(req: CertificateRequest, value: Buffer): void {
  req.sanDer = value;
  for (const gn of children(readNode(value))) {
    const v = content(gn);
    switch (gn.tag) {
      case 0x81: req.emailAddresses.push(v.toString('latin1')); break;
      case 0x82: req.dnsNames.push(v.toString('latin1')); break;
      case 0x86: req.uris.push(v.toString('latin1')); break;
      case 0x87: req.ipAddresses.push(ipString(v)); break;
      default: break;
    }
  }
}

function readAttributes(req: CertificateRequest, attrs: DerNode | undefined): void {
  if (!attrs || attrs.tag !== 0xa0) return;
  for (const attr of children(attrs)) {
    const [type, values] = children(attr);
    if (!type || !values || decodeOid(type) !== oidExtensionRequest) continue;
    for (const exts of children(values)) {
      for (const ext of children(exts)) {
        const parts = children(ext);
        const id = parts[0] ? decodeOid(parts[0]) : '';
        const value = parts[parts.length - 1];
        if (id === oidSubjectAltName && value?.tag === 0x04) readSans(req, Buffer.from(content(value)));
      }
    }
  }
}

/** Parses DER bytes of a CertificationRequest. */
export function parseCertificateRequestDer(der: Buffer): CertificateRequest {
  try {
    const top = expect(readNode(der), 0x30);
    if (top.end !== der.length) throw new DerError('x509: trailing data after certificate request');
    const [info, algorithm, signature] = children(top);
    const infoNode = expect(info, 0x30);
    const [version, subject, spki, attrs] = children(infoNode);
    expect(version, 0x02);
    const subjectNode = expect(subject, 0x30);
    const spkiNode = expect(spki, 0x30);
    const algId = children(expect(algorithm, 0x30))[0];
    const sigNode = expect(signature, 0x03);
    const publicKeyDer = Buffer.from(raw(spkiNode));
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
    } catch {
      throw new DerError('x509: unsupported public key algorithm');
    }
    const req: CertificateRequest = {
      subject: readSubject(subjectNode),
      subjectDer: Buffer.from(raw(subjectNode)),
      publicKeyDer,
      publicKey,
      dnsNames: [], emailAddresses: [], ipAddresses: [], uris: [],
      signatureAlgorithm: algId ? decodeOid(expect(algId, 0x06)) : '',
      signed: Buffer.from(raw(infoNode)),
      signature: Buffer.from(content(sigNode).subarray(1)),
    };
    readAttributes(req, attrs);
    return req;
  } catch (err) {
    if (err instanceof DerError) throw err;
    throw new DerError('x509: malformed certificate request');
  }
}

/** certificates.ParseCSR: the first PEM block must be a CERTIFICATE REQUEST that parses. */
export function parseCertificateRequestPem(pem: Buffer): CertificateRequest {
  const block = decodePemBlocks(pem)[0];
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new DerError('PEM block type must be CERTIFICATE REQUEST');
  return parseCertificateRequestDer(block.bytes);
}

/** x509.CertificateRequest.CheckSignature. */
export function checkSignature(req: CertificateRequest): void {
  const alg = signatureAlgorithms[req.signatureAlgorithm];
  if (!alg) throw new DerError('x509: cannot verify signature: algorithm unimplemented');
  const [name, digest] = alg;
  const keyType = req.publicKey.asymmetricKeyType;
  const family = name.includes('RSA') ? 'rsa' : name.startsWith('ECDSA') ? 'ec' : 'ed25519';
  if (keyType !== family) throw new DerError('x509: signature algorithm specifies an ' + (family === 'rsa' ? 'RSA' : family === 'ec' ? 'ECDSA' : 'Ed25519') + ' public key, but have public key of type ' + goKeyType(keyType));
  let ok = false;
  try {
    ok = verify(digest ?? null, req.signed, req.publicKey, req.signature);
  } catch {
    ok = false;
  }
  if (ok) return;
  if (family === 'rsa') throw new DerError('crypto/rsa: verification error');
  throw new DerError(family === 'ec' ? 'x509: ECDSA verification failure' : 'x509: Ed25519 verification failure');
}

function goKeyType(t: string | undefined): string {
  if (t === 'rsa') return '*rsa.PublicKey';
  if (t === 'ec') return '*ecdsa.PublicKey';
  if (t === 'ed25519') return 'ed25519.PublicKey';
  return String(t);
}
