/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/pods.go ("[sig-node] Pods"), "should
 * support retrieving logs from the container over websockets": pods/log read through a WebSocket
 * with the binary.k8s.io subprotocol, as e2ewebsocket.OpenWebSocketForURL does. The client below is
 * the few lines of RFC 6455 that reading a server's messages needs (no package of ours speaks it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { createSync, images, mixinRestrictedPodSecurity, podComponents } from '../pod-helpers.ts';

const f = newFramework('pods', { components: podComponents });

/**
 * Opens a WebSocket to `path` with the kubeconfig's credentials and resolves with every data
 * message the server sends until it closes the connection (websocket.Message.Receive until io.EOF).
 */
async function readWebSocketMessages(kc: KubeConfig, path: string, protocol: string, timeoutMs = 30_000): Promise<Buffer[]> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(server);
  const options = {
    method: 'GET',
    headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': protocol,
    },
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise<Buffer[]>((resolve, reject) => {
    const req = request({ ...options, hostname: url.hostname, port: url.port, path });
    const timer = setTimeout(() => req.destroy(new Error(`websocket ${path}: no close after ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => { clearTimeout(timer); reject(err); };
    req.on('error', fail);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => fail(new Error(`websocket ${path}: HTTP ${res.statusCode} instead of 101: ${body}`)));
    });
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      const messages: Buffer[] = [];
      let buffered = head;
      let fragments: Buffer[] = [];
      const finish = (): void => { clearTimeout(timer); socket.destroy(); resolve(messages); };
      const parse = (): void => {
        for (;;) {
          if (buffered.length < 2) return;
          const fin = (buffered[0]! & 0x80) !== 0;
          const opcode = buffered[0]! & 0x0f;
          const masked = (buffered[1]! & 0x80) !== 0;
          let length = buffered[1]! & 0x7f;
          let offset = 2;
          if (length === 126) {
            if (buffered.length < 4) return;
            length = buffered.readUInt16BE(2);
            offset = 4;
          } else if (length === 127) {
            if (buffered.length < 10) return;
            length = Number(buffered.readBigUInt64BE(2));
            offset = 10;
          }
          const maskKey = masked ? buffered.subarray(offset, offset + 4) : undefined;
          if (masked) offset += 4;
          if (buffered.length < offset + length) return;
          const payload = Buffer.from(buffered.subarray(offset, offset + length));
          if (maskKey !== undefined) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;
          buffered = buffered.subarray(offset + length);
          if (opcode === 8) return finish();
          if (opcode === 0 || opcode === 1 || opcode === 2) {
            fragments.push(payload);
            if (fin) {
              messages.push(Buffer.concat(fragments));
              fragments = [];
            }
          }
          // ping (9) and pong (10) carry no data for the reader
        }
      };
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        parse();
      });
      socket.on('end', finish);
      socket.on('close', finish);
      socket.on('error', fail);
      parse();
    });
    req.end();
  });
}

describe('[sig-node] Pods', () => {
  it('Pods, logs from websockets', async () => {
    // creating the pod
    const name = `pod-logs-websocket-${randomUUID()}`;
    const pod = mixinRestrictedPodSecurity({
      metadata: { name },
      spec: {
        containers: [{ name: 'main', image: images.busyBox, command: ['/bin/sh', '-c', 'echo container is alive; sleep 10000'] }],
      },
    });

    // submitting the pod to kubernetes
    await createSync(f.kc, f.namespace, pod);

    const path = `/api/v1/namespaces/${f.namespace}/pods/${name}/log?container=main`;
    const messages = await readWebSocketMessages(f.kc, path, 'binary.k8s.io');
    let buf = '';
    for (const msg of messages) {
      if (msg.toString('utf8').trim().length === 0) continue;
      buf += msg.toString('utf8');
    }
    expect(buf, `Unexpected websocket logs:\n${buf}`).toBe('container is alive\n');
  });
});
