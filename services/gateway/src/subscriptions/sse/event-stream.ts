import type { Request, Response } from 'express';
import type { Logger } from '@trendmill/platform';
import type { EventLog } from '../event-log/event-log.js';
import type { EventLogEntry } from '../event-log/event-log-store.js';
import type { SubscriptionMetrics } from '../metrics.js';

export interface EventStreamOptions {
  eventLog: EventLog;
  /** Full event types to send; empty sends every type. */
  types: readonly string[];
  /** Resume after this seq (Last-Event-ID); undefined starts with what is appended from now on. */
  after: number | undefined;
  heartbeatMs: number;
  /** Reconnection delay suggested to the client (`retry:`). */
  retryMs: number;
  pageSize: number;
  metrics: SubscriptionMetrics;
  logger: Logger;
}

/**
 * One Server-Sent Events stream. It catches up from the log (a resumed client gets everything
 * after its Last-Event-ID, page by page), then follows live appends. A client that reads slower
 * than events arrive is not buffered in memory: the stream falls back to reading the log from its
 * last sent seq once the socket drains, so nothing is skipped and memory stays bounded.
 */
export function openEventStream(req: Request, res: Response, options: EventStreamOptions): void {
  const { eventLog, metrics } = options;
  const wanted = options.types.length > 0 ? new Set(options.types) : undefined;
  let cursor = options.after ?? eventLog.head;
  let live = false;
  let missed = false;
  let closed = false;

  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  res.write(`retry: ${options.retryMs}\n: connected, after ${cursor}\n\n`);
  metrics.sseClients.inc();

  /** Writes entries past the cursor; false when the socket's buffer is full. */
  const send = (entries: readonly EventLogEntry[]): boolean => {
    let roomLeft = true;
    for (const entry of entries) {
      if (entry.seq <= cursor) continue;
      cursor = entry.seq;
      if (wanted && !wanted.has(entry.type)) continue;
      roomLeft = res.write(`id: ${entry.seq}\nevent: ${entry.type}\ndata: ${entry.payload}\n\n`);
      metrics.sseEventsSent.inc();
    }
    return roomLeft;
  };

  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });

  /** Reads the log from the cursor until caught up, then goes live. */
  const catchUp = async (): Promise<void> => {
    live = false;
    for (;;) {
      if (closed) return;
      missed = false;
      const page = await eventLog.read(cursor, options.types, options.pageSize);
      if (closed) return;
      const before = cursor;
      const roomLeft = send(page);
      if (page.length === options.pageSize) {
        // Filtered reads skip unmatched seqs, so the page's last seq is where the next one starts.
        cursor = Math.max(cursor, page[page.length - 1]!.seq, before);
        if (!roomLeft) await drained();
        continue;
      }
      if (!roomLeft) {
        await drained();
        continue;
      }
      if (missed) continue;
      // Caught up, and nothing was appended while the last read ran: from here, live appends.
      live = true;
      return;
    }
  };

  const unsubscribe = eventLog.onAppend((entries) => {
    if (closed) return;
    if (!live) {
      missed = true;
      return;
    }
    if (!send(entries)) {
      live = false;
      void drained().then(() => run());
    }
  });

  /** Tells a resuming client that retention may have removed events it has not seen. */
  const reportGap = async (): Promise<void> => {
    if (options.after === undefined) return;
    const oldest = await eventLog.oldest();
    if (oldest > options.after + 1 && !closed)
      res.write(`event: gap\ndata: ${JSON.stringify({ after: options.after, oldestRetained: oldest })}\n\n`);
  };

  const run = (first = false) =>
    (first ? reportGap() : Promise.resolve()).then(catchUp).catch((error) => {
      options.logger.warn('SSE stream could not read the event log; closing it for the client to resume', {
        error: String(error),
      });
      res.end();
    });

  const heartbeat = setInterval(() => {
    if (!closed) res.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, options.heartbeatMs);
  heartbeat.unref();

  res.on('close', () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    metrics.sseClients.dec();
  });
  req.socket.setNoDelay(true);
  void run(true);
}
