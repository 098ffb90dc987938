import { z } from 'zod';
import { invalidCursor } from '../errors.js';

/**
 * Keyset cursors: the sort key and the tie-breaking id of the last row of a page, as base64url
 * JSON. Opaque to clients; tagged with the list's ordering so a cursor from one ordering is
 * refused by another instead of silently skipping rows.
 */
const cursorSchema = z.object({
  o: z.string().min(1).max(40),
  v: z.union([z.number(), z.string().max(100)]),
  id: z.string().min(1).max(200),
});
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Throws 400 invalid_cursor for anything this codec did not write for `ordering`. */
export function decodeCursor(text: string, ordering: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success || parsed.data.o !== ordering) throw invalidCursor();
  if (typeof parsed.data.v === 'number' && !Number.isFinite(parsed.data.v)) throw invalidCursor();
  return parsed.data;
}
