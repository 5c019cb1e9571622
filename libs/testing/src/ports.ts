import { createServer, type AddressInfo, type Server } from 'node:net';

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

/**
 * Asks the OS for `count` distinct free TCP ports (listen on port 0, then release), never one of `exclude`.
 * All probe sockets stay open until every port is picked, so the ports differ from each other.
 */
export async function pickFreePorts(
  count: number,
  options: { host?: string; exclude?: Iterable<number> } = {},
): Promise<number[]> {
  const host = options.host ?? '127.0.0.1';
  const exclude = new Set(options.exclude ?? []);
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = await listen(0, host);
      servers.push(server);
      const { port } = server.address() as AddressInfo;
      if (!exclude.has(port)) ports.push(port);
      if (servers.length > count + 100)
        throw new Error('pickFreePorts: the OS keeps handing out excluded ports');
    }
    return ports;
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** True when nothing listens on host:port (so an app may bind it). */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  try {
    await close(await listen(port, host));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return false;
    throw error;
  }
}
