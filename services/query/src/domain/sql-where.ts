/**
 * Builds a WHERE clause from optional filters with numbered parameters, so user values only ever
 * travel as bound parameters and the SQL text comes from this codebase alone.
 */
export class SqlWhere {
  readonly params: unknown[];
  private readonly conditions: string[] = [];

  constructor(params: unknown[] = []) {
    this.params = params;
  }

  /** Binds a value and returns its placeholder (`$n`). */
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  and(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  get sql(): string {
    return this.conditions.length === 0 ? '' : `WHERE ${this.conditions.map((c) => `(${c})`).join(' AND ')}`;
  }
}

export interface ItemFilters {
  cluster?: string | undefined;
  source?: string | undefined;
  language?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/**
 * Item filters on the items table aliased `alias`; `since` inclusive, `until` exclusive. Languages
 * are stored lower-cased (the projection does it), so the filter compares lower-cased too.
 */
export function whereItems(where: SqlWhere, filters: ItemFilters, alias = 'i'): SqlWhere {
  if (filters.cluster !== undefined) where.and(`${alias}.cluster_id = ${where.bind(filters.cluster)}`);
  if (filters.source !== undefined) where.and(`${alias}.source_id = ${where.bind(filters.source)}`);
  if (filters.language !== undefined)
    where.and(`${alias}.language = ${where.bind(filters.language.toLowerCase())}`);
  if (filters.since !== undefined)
    where.and(`${alias}.published_at >= ${where.bind(filters.since)}::timestamptz`);
  if (filters.until !== undefined)
    where.and(`${alias}.published_at < ${where.bind(filters.until)}::timestamptz`);
  return where;
}
