export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** admin implies write implies read, so an admin key can do everything a read key can. */
const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

export function grants(held: readonly string[], needed: Scope): boolean {
  return held.some((s) => s in RANK && RANK[s as Scope] >= RANK[needed]);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** "read,write" → ['read','write']; throws on an unknown or empty list. */
export function parseScopes(list: string): Scope[] {
  const scopes = [
    ...new Set(
      list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length)
    throw new RangeError(`unknown scope ${unknown.join(', ')}; expected ${SCOPES.join(', ')}`);
  if (scopes.length === 0) throw new RangeError(`at least one scope is needed (${SCOPES.join(', ')})`);
  return scopes as Scope[];
}
