import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LocalServer {
  port: number;
  /** `http://<host>:<port>` */
  origin: string;
  /** Every request received, in order. */
  requests: IncomingMessage[];
  /** The local address of every connection accepted, in order. */
  connections: string[];
  close(): Promise<void>;
}

/** A node:http server on a loopback address and an ephemeral (or given) port. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {},
): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const connections: string[] = [];
  const sockets = new Set<Socket>();
  const listener: RequestListener = (req, res) => {
    requests.push(req);
    handler(req, res);
  };
  const server = createServer(listener);
  server.on('connection', (socket) => {
    connections.push(socket.localAddress ?? '');
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    port: address.port,
    origin: `http://${host}:${address.port}`,
    requests,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
