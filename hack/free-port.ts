import { createServer, type Server } from 'node:net';

/** The loopback address every local process binds to. */
export const loopback = '127.0.0.1';

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listening socket has no TCP port');
  return address.port;
}

/**
 * Returns `count` distinct ports that were free on `host` a moment ago.
 * All sockets are held open until every port is chosen, so the kernel cannot
 * hand out the same port twice; another process may still grab one before the
 * caller binds it, which callers report as a bind failure.
 */
export async function freePorts(count: number, host: string = loopback): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0, host));
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** True when a TCP listener could bind `port` on `host` right now. */
export async function isPortFree(port: number, host: string = loopback): Promise<boolean> {
  try {
    await close(await listen(port, host));
    return true;
  } catch {
    return false;
  }
}
