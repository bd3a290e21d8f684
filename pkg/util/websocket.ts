/**
 * A minimal RFC 6455 WebSocket server side, enough for the apiserver's one-way streams (pods/log
 * over `binary.k8s.io` / `base64.binary.k8s.io`, k8s.io/apiserver/pkg/util/wsstream): the opening
 * handshake, unfragmented server frames, and a reader of client frames that answers pings and
 * close frames. No extensions (permessage-deflate is never negotiated) and no new dependencies.
 *
 * Node hands an `Upgrade:` request to the server's 'upgrade' listeners, not to its request
 * handler; routeUpgrades gives such requests a ServerResponse over the raw socket, so the usual
 * request handler (authentication, authorization, errors as Status) runs for them too, and the
 * one handler that wants the socket takes it over with acceptWebSocket.
 */
import { createHash } from 'node:crypto';
import { ServerResponse, type IncomingMessage, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** wsstream.IsWebSocketRequest: `Connection` lists upgrade and `Upgrade` is websocket. */
export function isWebSocketRequest(headers: IncomingHttpHeaders): boolean {
  const connection = String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
  return connection.includes('upgrade') && String(headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** Sec-WebSocket-Accept for a client's Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + handshakeGuid).digest('base64');
}

/** The protocols a client offered in Sec-WebSocket-Protocol, in its order. */
export function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers['sec-websocket-protocol'];
  const joined = Array.isArray(raw) ? raw.join(',') : raw ?? '';
  return joined.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** One final frame; masked with `mask` when given (a client's frame), plain otherwise (a server's). */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const len = payload.length;
  const lenBytes = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + lenBytes + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (mask ? 0x80 : 0) | (lenBytes === 0 ? len : lenBytes === 2 ? 126 : 127);
  if (lenBytes === 2) head.writeUInt16BE(len, 2);
  if (lenBytes === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + lenBytes);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, masked]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Splits a byte stream into frames (masked or not); feed it chunks, it returns whole frames. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    const b = this.buffered;
    if (b.length < 2) return undefined;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      len = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const maskKey = masked ? b.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (b.length < offset + len) return undefined;
    const payload = Buffer.from(b.subarray(offset, offset + len));
    if (maskKey) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;
    this.buffered = b.subarray(offset + len);
    return { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payload };
  }
}

/** The server end of an accepted WebSocket. */
export interface WebSocketConnection {
  /** The sub-protocol agreed in the handshake ('' when none). */
  readonly protocol: string;
  /** Sends one message; false when the socket's buffer is full (wait for drained()). */
  send(data: Buffer, binary: boolean): boolean;
  /** Resolves true once the socket can take more, false if it closed first. */
  drained(): Promise<boolean>;
  /** Sends a close frame (1000 normal closure by default) and ends the socket. */
  close(code?: number): void;
  /** True once either side closed. */
  readonly isClosed: boolean;
  /** Resolves when the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;
}

/**
 * Completes the opening handshake on `socket` (the request must be a valid WebSocket request with
 * a Sec-WebSocket-Key) with `protocol` as the agreed sub-protocol, and returns the connection.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, protocol: string): WebSocketConnection {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const head = [
    'HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`,
    ...(protocol ? [`Sec-WebSocket-Protocol: ${protocol}`] : []),
  ];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  let isClosed = false;
  let sentClose = false;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => { markClosed = resolve; });
  const finish = (): void => { if (!isClosed) { isClosed = true; markClosed(); } };
  socket.on('close', finish);
  socket.on('error', () => { finish(); socket.destroy(); });
  const reader = new FrameReader();
  const sendClose = (code: number): void => {
    if (sentClose || !socket.writable) return;
    sentClose = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    socket.end(encodeFrame(opcodes.close, payload));
  };
  socket.on('data', (chunk: Buffer) => {
    for (const frame of reader.push(chunk)) {
      if (frame.opcode === opcodes.ping) socket.write(encodeFrame(opcodes.pong, frame.payload));
      else if (frame.opcode === opcodes.close) { sendClose(1000); finish(); }
    }
  });
  return {
    protocol,
    send: (data, binary) => (isClosed || sentClose ? false : socket.write(encodeFrame(binary ? opcodes.binary : opcodes.text, data))),
    drained: () => new Promise((resolve) => {
      if (isClosed) { resolve(false); return; }
      const onDrain = (): void => { socket.off('close', onClose); resolve(true); };
      const onClose = (): void => { socket.off('drain', onDrain); resolve(false); };
      socket.once('drain', onDrain);
      socket.once('close', onClose);
    }),
    close: (code = 1000) => { sendClose(code); setTimeout(() => socket.destroy(), 1000).unref(); },
    get isClosed() { return isClosed; },
    closed,
  };
}

/**
 * Sends upgrade requests through `handler` as ordinary requests, with a response written to the
 * raw socket; a handler that answers normally (an error Status) closes the connection afterwards.
 */
export function routeUpgrades(server: HttpServer, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (head.length > 0) socket.unshift(head);
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
    res.on('finish', () => { res.detachSocket(socket as Parameters<ServerResponse['detachSocket']>[0]); socket.end(); });
    handler(req, res);
  });
}
