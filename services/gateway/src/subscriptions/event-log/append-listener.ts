import type pg from 'pg';
import type { Logger } from '@trendmill/platform';

/**
 * LISTENs on a PostgreSQL channel on one dedicated connection and calls `onNotify` for each
 * notification, reconnecting after a dropped connection. It only makes other replicas' appends
 * arrive sooner: the tailer's polling stays the guarantee, so a notification lost while
 * reconnecting costs latency, not events.
 */
export function listenForAppends(options: {
  pool: pg.Pool;
  channel: string;
  onNotify: () => void;
  logger: Logger;
  reconnectMs?: number;
}): { stop(): Promise<void> } {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const reconnectMs = options.reconnectMs ?? 2_000;
  const quoted = `"${options.channel.replace(/"/g, '""')}"`;

  const connect = async () => {
    if (stopped) return;
    try {
      const conn = await options.pool.connect();
      if (stopped) return conn.release();
      conn.on('notification', (message) => {
        if (message.channel === options.channel) options.onNotify();
      });
      conn.on('error', (error) => {
        options.logger.warn('event log LISTEN connection lost; polling until it is back', {
          error: String(error),
        });
        if (client === conn) client = undefined;
        conn.release(error);
        retry();
      });
      await conn.query(`LISTEN ${quoted}`);
      client = conn;
      // Anything appended while we were not listening is picked up by this wake.
      options.onNotify();
    } catch (error) {
      options.logger.warn('event log could not LISTEN; polling meanwhile', { error: String(error) });
      retry();
    }
  };
  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, reconnectMs);
    timer.unref();
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const conn = client;
      client = undefined;
      if (!conn) return;
      await conn.query(`UNLISTEN ${quoted}`).catch(() => undefined);
      conn.release();
    },
  };
}
