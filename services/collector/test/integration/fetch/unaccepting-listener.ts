import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface UnacceptingListener {
  port: number;
  /**
   * Opens connections until one hangs in the handshake (the accept queue is full). False when the
   * kernel never stops completing handshakes, i.e. a connect timeout cannot be produced here.
   */
  fillBacklog(): Promise<boolean>;
  close(): Promise<void>;
}

// A listener whose thread blocks right after listen(): the kernel completes handshakes into the
// accept queue (backlog 1) until it is full, then leaves further SYNs unanswered.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  setTimeout(() => Atomics.wait(new Int32Array(workerData), 0, 0), 20);
});
`;

export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const wake = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: wake });
  const [port] = (await once(worker, 'message')) as [number];
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the worker block
  const fillers: Socket[] = [];
  return {
    port,
    async fillBacklog() {
      for (let i = 0; i < 64; i++) {
        const socket = connect({ port, host: '127.0.0.1' });
        socket.on('error', () => {});
        fillers.push(socket);
        const connected = await Promise.race([
          once(socket, 'connect').then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), 200)),
        ]);
        if (!connected) return true;
      }
      return false;
    },
    async close() {
      for (const socket of fillers) socket.destroy();
      Atomics.notify(new Int32Array(wake), 0);
      await worker.terminate();
    },
  };
}
