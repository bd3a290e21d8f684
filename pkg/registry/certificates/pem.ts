/** PEM blocks as Go's encoding/pem reads them: type, headers ("Key: value" lines) and the decoded bytes. */

export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

const blockPattern = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every well-formed block of `data`, in order; text around and between blocks is ignored. */
export function decodePemBlocks(data: Buffer | string): PemBlock[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const out: PemBlock[] = [];
  for (const m of text.matchAll(blockPattern)) {
    const lines = (m[2] ?? '').split(/\r?\n/);
    const headers: Record<string, string> = {};
    let i = 0;
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon < 0) break;
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    if (Object.keys(headers).length > 0 && (lines[i] ?? '').trim() === '') i++;
    const body = lines.slice(i).join('').replace(/\s+/g, '');
    // Go refuses a body that is not valid base64; such a block does not count.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) continue;
    out.push({ type: m[1] ?? '', headers, bytes: Buffer.from(body, 'base64') });
  }
  return out;
}

export function encodePem(type: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}
