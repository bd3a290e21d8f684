/**
 * GET of a resource or subresource served by a REST object: objects computed per request
 * (metrics.k8s.io get and list) written like any object, and streams (pods/log) copied to the
 * client as upstream's StreamObject does (endpoints/handlers/responsewriters/writers.go): plain
 * HTTP with the stream's Content-Type, or, for a WebSocket request, wsstream's Reader protocols
 * (`binary.k8s.io` binary messages, `base64.binary.k8s.io` base64 text messages, none offered =
 * binary), an empty first message, one message per chunk of at most 2 KiB, then a normal close.
 * The stream is destroyed as soon as the client goes away.
 */
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import * as apierrors from '../../apierrors/index.ts';
import type { UserInfo } from '../../auth/user.ts';
import type { RestReadable, RestReadContext, ResourceStream } from '../../registry/rest.ts';
import { isRestStreamer } from '../../registry/rest.ts';
import type { ResourceEntry } from '../../resources/index.ts';
import { acceptWebSocket, isWebSocketRequest, offeredProtocols } from '../../util/websocket.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import type { RequestInfo } from '../request-info.ts';

export interface RestReadScope {
  req: Request;
  res: Response;
  info: RequestInfo;
  entry: ResourceEntry;
  query: URLSearchParams;
  user: UserInfo;
}

/** wsstream.NewDefaultReaderProtocols: protocol → whether messages carry raw bytes. */
const readerProtocols: ReadonlyMap<string, boolean> = new Map([['', true], ['binary.k8s.io', true], ['base64.binary.k8s.io', false]]);
/** messageCopy's read buffer: no message is larger. */
const maxMessageBytes = 2048;

export async function handleRestRead(scope: RestReadScope, rest: RestReadable): Promise<void> {
  const { req, res, info } = scope;
  const aborted = new AbortController();
  res.once('close', () => aborted.abort());
  const ctx: RestReadContext = { user: scope.user, namespace: info.namespace, name: info.name, query: scope.query, signal: aborted.signal };
  if (isRestStreamer(rest)) {
    if (info.verb !== 'get') throw apierrors.methodNotAllowed();
    const stream = await rest.stream(ctx);
    if (isWebSocketRequest(req.headers)) await streamWebSocket(req, res, stream);
    else await streamHttp(res, stream);
    return;
  }
  const verb = info.verb === 'list' && info.name ? 'get' : info.verb;
  if (verb !== 'get' && verb !== 'list') throw apierrors.methodNotAllowed();
  if (!(scope.entry.verbs as readonly string[]).includes(verb)) throw apierrors.methodNotAllowed();
  // These kinds have no protobuf schema here: answer JSON unless nothing else is acceptable.
  const choice = negotiate(req.headers.accept);
  const out = verb === 'get' ? await rest.get(ctx) : await rest.list(ctx);
  writeObject(res, 200, out, choice.encoding === 'protobuf' ? { encoding: 'json' } : choice);
}

async function streamHttp(res: Response, stream: ResourceStream): Promise<void> {
  res.writeHead(200, { 'Content-Type': stream.contentType });
  res.flushHeaders();
  try {
    await pipeline(stream.body, res);
  } catch {
    // The client left or the source failed mid-stream: the status line is sent, nothing to report.
    res.destroy();
  }
}

async function streamWebSocket(req: Request, res: Response, stream: ResourceStream): Promise<void> {
  const offered = offeredProtocols(req.headers);
  const protocol = (offered.length ? offered : ['']).find((p) => readerProtocols.has(p));
  if (protocol === undefined) {
    // x/net/websocket answers a failed handshake with a bare 403.
    stream.body.destroy();
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end();
    return;
  }
  const binary = readerProtocols.get(protocol)!;
  const ws = acceptWebSocket(req, req.socket, protocol);
  const encode = (chunk: Buffer): Buffer => (binary ? chunk : Buffer.from(chunk.toString('base64')));
  void ws.closed.then(() => stream.body.destroy());
  try {
    if (!ws.send(Buffer.alloc(0), binary) && !(await ws.drained())) return;
    for await (const data of stream.body) {
      const chunk = Buffer.isBuffer(data) ? data : Buffer.from(String(data));
      for (let at = 0; at < chunk.length; at += maxMessageBytes) {
        if (ws.isClosed) return;
        if (!ws.send(encode(chunk.subarray(at, at + maxMessageBytes)), binary) && !(await ws.drained())) return;
      }
    }
  } catch {
    // The source failed or was destroyed because the client left.
  } finally {
    ws.close(1000);
  }
}
