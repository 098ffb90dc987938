import type { OutgoingMessage } from '../broker/port.js';
import type { SqlExecutor } from './sql-client.js';
import { qualified, queryRows } from './sql-client.js';

export const OUTBOX_TABLE = 'outbox_events';

// Five parameters per row; PostgreSQL allows 65,535 per statement.
const ROWS_PER_INSERT = 1_000;

/**
 * Writes outgoing messages into the service's outbox inside the caller's transaction (a
 * SqlClient transaction or a Prisma interactive-transaction client), so they exist exactly when
 * the state change they announce commits. The relay publishes them afterwards.
 *
 * An id that is already in the outbox is skipped: the id is the event's identity, so writing it
 * again (a retried handler that derives ids deterministically) must not publish it twice.
 * Resolves to the number of messages newly written.
 */
export async function enqueueEvents(
  tx: SqlExecutor,
  schema: string,
  events: OutgoingMessage | readonly OutgoingMessage[],
): Promise<number> {
  const list: readonly OutgoingMessage[] = Array.isArray(events) ? events : [events as OutgoingMessage];
  const table = qualified(schema, OUTBOX_TABLE);
  let written = 0;
  for (let start = 0; start < list.length; start += ROWS_PER_INSERT) {
    const chunk = list.slice(start, start + ROWS_PER_INSERT);
    const params: unknown[] = [];
    const tuples = chunk.map((event) => {
      const at = params.length;
      params.push(event.id, event.type, event.key ?? null, JSON.stringify(event.headers ?? {}), event.body);
      return `($${at + 1}::uuid, $${at + 2}, $${at + 3}, $${at + 4}::jsonb, $${at + 5}::bytea)`;
    });
    const rows = await queryRows(
      tx,
      `INSERT INTO ${table} (id, type, "key", headers, payload) VALUES ${tuples.join(', ')}
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      params,
    );
    written += rows.length;
  }
  return written;
}
