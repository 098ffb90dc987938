import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { trackedSockets } from './sockets.js';

describe('kafka tracked sockets', () => {
  let server: net.Server;
  let port = 0;
  const serverSockets = new Set<net.Socket>();

  before(async () => {
    server = net.createServer((s) => {
      serverSockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of serverSockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('cuts every open connection with the reset kafkajs treats as a network fault', async () => {
    const { socketFactory, cutAll } = trackedSockets();
    // kafkajs passes no TLS options for a plain connection.
    const ssl = null as unknown as ConnectionOptions;
    const connect = () =>
      new Promise<net.Socket>((resolve) => {
        const s = socketFactory({ host: '127.0.0.1', port, ssl, onConnect: () => resolve(s) });
      });
    const sockets = [await connect(), await connect()];
    const errors = sockets.map(
      (s) => new Promise<NodeJS.ErrnoException>((resolve) => s.once('error', resolve)),
    );
    const closed = sockets.map((s) => new Promise((resolve) => s.once('close', resolve)));

    expect(cutAll()).to.equal(2);
    for (const err of await Promise.all(errors)) expect(err.code).to.equal('ECONNRESET');
    await Promise.all(closed);
    expect(cutAll()).to.equal(0);
  });
});
