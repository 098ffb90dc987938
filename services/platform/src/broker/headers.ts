/** Transport headers Trendmill adds beside the event body. */
export const HEADER = {
  attempt: 'x-trendmill-attempt',
  lastError: 'x-trendmill-last-error',
  reason: 'x-trendmill-dead-letter-reason',
  deadLetteredAt: 'x-trendmill-dead-lettered-at',
  group: 'x-trendmill-group',
  type: 'x-trendmill-type',
  key: 'x-trendmill-key',
} as const;

/** Keeps header values within sane size so a huge stack trace cannot bloat every message. */
export function clipHeader(value: string, max = 2000): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
