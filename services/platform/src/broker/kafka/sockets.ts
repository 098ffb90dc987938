import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

export interface TrackedSockets {
  /** Pass as `socketFactory` to `KafkaBroker.connect`. */
  socketFactory: ISocketFactory;
  /** Resets every open connection, as a network fault would; returns how many were cut. */
  cutAll(): number;
}

/**
 * A kafkajs socket factory (the same sockets kafkajs' default one makes) that remembers the open
 * sockets, so the contract suite can drop the connections under a live client. kafkajs watches
 * `error` and `end`, not `close`, so a cut destroys each socket with an ECONNRESET error.
 */
export function trackedSockets(): TrackedSockets {
  const open = new Set<net.Socket>();
  const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    cutAll: () => {
      const sockets = [...open];
      for (const s of sockets) {
        s.destroy(
          Object.assign(new Error('connection reset (simulated network fault)'), { code: 'ECONNRESET' }),
        );
      }
      return sockets.length;
    },
  };
}
