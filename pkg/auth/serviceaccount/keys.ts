/**
 * Service-account keys from PEM files: --service-account-key-file (public keys, certificates or
 * private keys, several per file) and --service-account-signing-key-file (one private key).
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

const pemBlock = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function blocks(pem: string): { type: string; text: string }[] {
  return [...pem.matchAll(pemBlock)].map((m) => ({ type: m[1]!, text: m[0] }));
}

function publicKeyOf(block: { type: string; text: string }): KeyObject | undefined {
  switch (block.type) {
    case 'PUBLIC KEY': case 'RSA PUBLIC KEY': return createPublicKey(block.text);
    case 'CERTIFICATE': return new X509Certificate(block.text).publicKey;
    case 'PRIVATE KEY': case 'RSA PRIVATE KEY': case 'EC PRIVATE KEY': return createPublicKey(createPrivateKey(block.text));
    default: return undefined;
  }
}

/** The RSA and ECDSA public keys a PEM text holds (private keys give theirs, as keyutil does). */
export function parsePublicKeysPEM(pem: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const b of blocks(pem)) {
    let key: KeyObject | undefined;
    try { key = publicKeyOf(b); } catch { key = undefined; }
    if (key && (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec')) keys.push(key);
  }
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}

export function readPublicKeys(file: string): KeyObject[] {
  try {
    return parsePublicKeysPEM(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`failed to read key file "${file}": ${(err as Error).message}`);
  }
}

/** The first private key of a PEM text. */
export function parsePrivateKeyPEM(pem: string): KeyObject {
  for (const b of blocks(pem)) {
    if (!/PRIVATE KEY$/.test(b.type)) continue;
    const key = createPrivateKey(b.text);
    if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec') return key;
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

export function readSigningKey(file: string): KeyObject {
  try {
    return parsePrivateKeyPEM(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`failed to parse service-account-issuer-key-file: ${(err as Error).message}`);
  }
}

/** The JWT `kid`: unpadded base64url of the SHA-256 of the public key's PKIX DER, as upstream. */
export function keyID(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url');
}

/** RS256 for RSA keys; ES256/384/512 by the EC key's curve. */
export function signingAlgorithm(key: KeyObject): 'RS256' | 'ES256' | 'ES384' | 'ES512' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'ES384';
  if (curve === 'secp521r1') return 'ES512';
  return 'ES256';
}
