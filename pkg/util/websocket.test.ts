/** The RFC 6455 pieces of websocket.ts: the accept key and frames of every length encoding. */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { acceptKey, encodeFrame, FrameReader, isWebSocketRequest, offeredProtocols, opcodes } from './websocket.ts';

describe('websocket', () => {
  it('computes the accept key of RFC 6455 section 1.3', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('recognises upgrade requests and their protocols', () => {
    expect(isWebSocketRequest({ connection: 'keep-alive, Upgrade', upgrade: 'WebSocket' })).toBe(true);
    expect(isWebSocketRequest({ connection: 'keep-alive', upgrade: 'websocket' })).toBe(false);
    expect(isWebSocketRequest({ connection: 'Upgrade', upgrade: 'SPDY/3.1' })).toBe(false);
    expect(offeredProtocols({ 'sec-websocket-protocol': 'base64.binary.k8s.io, binary.k8s.io' })).toEqual(['base64.binary.k8s.io', 'binary.k8s.io']);
  });

  it.each([0, 1, 125, 126, 65535, 65536, 70_000])('round-trips a %i-byte payload, masked and not, fed in pieces', (size) => {
    const payload = randomBytes(size);
    for (const mask of [undefined, randomBytes(4)]) {
      const wire = encodeFrame(opcodes.binary, payload, mask);
      expect(wire[1]! & 0x80).toBe(mask ? 0x80 : 0);
      const reader = new FrameReader();
      const frames = [];
      for (let at = 0; at < wire.length; at += 1000) frames.push(...reader.push(wire.subarray(at, at + 1000)));
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ fin: true, opcode: opcodes.binary });
      expect(frames[0]!.payload.equals(payload)).toBe(true);
    }
  });

  it('splits back-to-back frames', () => {
    const wire = Buffer.concat([encodeFrame(opcodes.text, Buffer.from('a')), encodeFrame(opcodes.close, Buffer.from([0x03, 0xe8]))]);
    expect(new FrameReader().push(wire).map((f) => f.opcode)).toEqual([opcodes.text, opcodes.close]);
  });
});
