import type { PgliteHandle } from './pglite-thread.js';
import { keepDoing, type Upkeep, type UpkeepOptions } from './pglite-upkeep.js';

/** How often the tables' dead and changed row counts are looked at. */
export const VACUUM_CHECK_MS = 30_000;

/**
 * PostgreSQL's autovacuum triggers at their defaults (autovacuum_vacuum_threshold / _scale_factor,
 * autovacuum_vacuum_insert_threshold / _scale_factor, autovacuum_analyze_threshold /
 * _scale_factor): a table is vacuumed once its dead rows exceed 50 + 20 % of its live rows, or the
 * rows inserted since its last vacuum 1000 + 20 % (that vacuum marks pages all-visible, so index-only
 * scans skip the table, as the normalizer's band lookups do); analysed once its changed rows exceed
 * 50 + 10 %. Proportional triggers keep the total cost linear in the rows written.
 */
export const VACUUM_TRIGGER = { base: 50, share: 0.2 } as const;
export const VACUUM_INSERT_TRIGGER = { base: 1000, share: 0.2 } as const;
export const ANALYZE_TRIGGER = { base: 50, share: 0.1 } as const;

export type VacuumOptions = UpkeepOptions;

/** What one check did to one table. */
export interface TableUpkeep {
  table: string;
  action: 'vacuum' | 'analyze';
  deadRows: number;
  ms: number;
}

/** `check()` resolves to what it vacuumed or analysed; after `stop()` a check in progress finishes its current table. */
export type Vacuumer = Upkeep<TableUpkeep[]>;

/**
 * Vacuums and analyses a PGlite instance's tables as PostgreSQL's autovacuum would. PGlite runs
 * PostgreSQL in single-user mode, which has no autovacuum launcher: left alone, no row version an
 * UPDATE or DELETE leaves behind is ever reclaimed, and no table gets planner statistics. Every
 * relayed outbox row (updated to published, later deleted), every re-clustered item and every
 * cluster upsert then stays in its table and indexes for good; an outbox poll walks the index
 * entries of every row that was ever pending (measured in the embedded default: 1.2 ms per poll at
 * 2.5k items, 5.8 ms at 15k), and the tables grow with all the versions ever written.
 *
 * Statistics reach pg_stat_user_tables when the backend flushes them, which in single-user mode
 * is asked for (pg_stat_force_next_flush) before reading them. Each VACUUM is one statement
 * through the instance's own queue (see takeTurns), so it waits for the transaction in progress.
 */
export function keepVacuuming(pglite: PgliteHandle, options: VacuumOptions = {}): Vacuumer {
  const run = async (stopped: () => boolean): Promise<TableUpkeep[]> => {
    await pglite.query(`SELECT pg_stat_force_next_flush()`);
    const { rows } = await pglite.query<{ name: string; dead: number; vacuum: boolean }>(
      `SELECT name, dead, due_vacuum AS vacuum FROM (
         SELECT format('%I.%I', schemaname, relname) AS name, n_dead_tup::float8 AS dead,
                n_dead_tup > $1::float8 + $2::float8 * n_live_tup
                  OR n_ins_since_vacuum > $3::float8 + $4::float8 * n_live_tup AS due_vacuum,
                n_mod_since_analyze > $5::float8 + $6::float8 * n_live_tup AS due_analyze
           FROM pg_stat_user_tables) t
        WHERE due_vacuum OR due_analyze
        ORDER BY dead DESC, name`,
      [
        VACUUM_TRIGGER.base,
        VACUUM_TRIGGER.share,
        VACUUM_INSERT_TRIGGER.base,
        VACUUM_INSERT_TRIGGER.share,
        ANALYZE_TRIGGER.base,
        ANALYZE_TRIGGER.share,
      ],
    );
    const done: TableUpkeep[] = [];
    for (const row of rows) {
      if (stopped()) break;
      const started = performance.now();
      // The name comes from the catalogue, quoted by format('%I').
      await pglite.exec(row.vacuum ? `VACUUM (ANALYZE) ${row.name}` : `ANALYZE ${row.name}`);
      done.push({
        table: row.name,
        action: row.vacuum ? 'vacuum' : 'analyze',
        deadRows: row.dead,
        ms: Math.round(performance.now() - started),
      });
    }
    return done;
  };
  return keepDoing(pglite, 'vacuum', run, VACUUM_CHECK_MS, options);
}
