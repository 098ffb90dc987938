import { EVENT_TYPE_LIST, type EventType } from '@trendmill/shared-contracts';

/** What a `types` list asked for: the event types it names, and the entries no event type matches. */
export interface ResolvedTypes {
  types: EventType[];
  unknown: string[];
}

/**
 * Resolves what clients write in `types` to full event types. A full type
 * (`trendmill.cluster.created.v1`) names itself; a short name (`cluster.created`) names every
 * published version of that event, so a client is not silently cut off when `.v2` appears beside
 * `.v1`. Anything else is reported back as unknown instead of matching nothing forever.
 */
export function resolveEventTypes(requested: readonly string[]): ResolvedTypes {
  const types = new Set<EventType>();
  const unknown: string[] = [];
  for (const raw of requested) {
    const name = raw.trim();
    if (!name) continue;
    const matches = EVENT_TYPE_LIST.filter((type) => type === name || shortName(type) === name);
    if (matches.length === 0) unknown.push(name);
    for (const match of matches) types.add(match);
  }
  return { types: [...types].sort(), unknown };
}

/** `trendmill.cluster.created.v1` → `cluster.created`. */
export function shortName(type: string): string {
  return type.replace(/^trendmill\./, '').replace(/\.v[0-9]+$/, '');
}

/** `a,b` or repeated query parameters (`?types=a&types=b`) as one list. */
export function splitTypesParam(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return parts
    .flatMap((part) => String(part).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
