import { Readable } from 'node:stream';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { maxRequestBodyBytes, readRawBody } from './body.ts';

/** A request body stream as Node gives it: Buffers, optionally a Content-Length; not destroyed by ending, so a destroy is seen. */
function fakeRequest(chunks: Buffer[], contentLength?: number): Request & Readable {
  const stream = Readable.from(chunks, { objectMode: false, autoDestroy: false }) as Readable & { headers: Record<string, string>; complete: boolean };
  stream.headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  stream.complete = false;
  return stream as unknown as Request & Readable;
}

const mib = 1024 * 1024;
const chunk = Buffer.alloc(256 * 1024, 0x61);

describe('readRawBody', () => {
  it.each([
    { name: 'empty', chunks: [], size: 0 },
    { name: 'one chunk', chunks: [chunk], size: chunk.length },
    { name: 'exactly the limit', chunks: Array.from({ length: 12 }, () => chunk), size: maxRequestBodyBytes },
  ])('returns a body within the limit whole ($name)', async ({ chunks, size }) => {
    const body = await readRawBody(fakeRequest(chunks));
    expect(body.length).toBe(size);
  });

  it.each([
    { name: 'chunked (no Content-Length)', contentLength: undefined },
    { name: 'with a Content-Length', contentLength: 3.5 * mib },
  ])('refuses a 3.5 MiB body $name with the 413, without destroying the request', async ({ contentLength }) => {
    const req = fakeRequest(Array.from({ length: 14 }, () => chunk), contentLength);
    await expect(readRawBody(req)).rejects.toMatchObject({
      code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728',
    });
    expect(req.destroyed).toBe(false);
  });

  it('discards the rest of a chunked body it refused', async () => {
    const req = fakeRequest(Array.from({ length: 20 }, () => chunk));
    await expect(readRawBody(req)).rejects.toMatchObject({ code: 413 });
    await new Promise<void>((resolve) => { if (req.readableEnded) resolve(); else req.once('end', () => resolve()); });
    expect(req.readableEnded).toBe(true);
  });
});
