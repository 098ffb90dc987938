import fc from 'fast-check';
import type { ZodType } from 'zod';

// Arbitraries for hostile HTTP input: path segments, query strings and JSON bodies. Strings go
// on the wire as UTF-8 percent-encoded by hand (encodeURIComponent throws on lone surrogates),
// beside raw forms that are not valid percent-encoding at all.

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD, as on the wire). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Already-encoded forms sent verbatim: broken escapes, traversal, overlong UTF-8, NUL. */
const rawOddities = [
  '%',
  '%zz',
  '%00',
  '%2e%2e',
  '%2F',
  '%C0%AF',
  '%ff%fe',
  '%E0%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%252e',
  ';',
  '%0d%0aSet-Cookie:%20x=1',
];

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  'true',
  'null',
  '[]',
  '{}',
  'x'.repeat(5_000),
  '😀'.repeat(50),
  '\u0000',
  '\uD800',
  '\u202E',
);

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  oddStrings,
);

/** One path segment, as sent. */
export const pathSegment = fc.oneof(anyText.map(percentEncode), fc.constantFrom(...rawOddities));

/** The top-level keys a zod object schema knows, so random values reach its fields. */
export function knownKeys(schema: ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** A query string (with its `?`) mixing the route's own parameters with strangers, repeats and brackets. */
export function queryString(known: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    ...(known.length ? [fc.constantFrom(...known), fc.constantFrom(...known.map((k) => `${k}[]`))] : []),
    fc.constantFrom('__proto__', 'constructor', 'a[b]', 'a[__proto__][x]', 'limit[$gt]'),
    anyText,
  );
  const pair = fc.oneof(
    fc.tuple(key, anyText).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
    key.map(percentEncode),
    fc.constantFrom(...rawOddities).map((raw) => `${raw}=${raw}`),
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

const jsonLeaf = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddStrings,
  fc.constantFrom(-1, 0, 1.5, 1e308, -0, 2 ** 53 + 2),
);

/** A request body: arbitrary JSON, the route's own fields holding strange values, or not JSON at all. */
export function requestBody(known: readonly string[]): fc.Arbitrary<string> {
  const fields = known.length
    ? fc.dictionary(fc.constantFrom(...known), jsonLeaf, { maxKeys: known.length }).chain((base) =>
        fc
          .dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor'), anyText), jsonLeaf, {
            maxKeys: 2,
          })
          .map((extra) => ({ ...base, ...extra })),
      )
    : fc.dictionary(anyText, jsonLeaf, { maxKeys: 4 });
  return fc.oneof(
    fields.map((value) => JSON.stringify(value)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.constantFrom('', '{', '{"a":', 'null', '[]', '"\\ud800"', '{"__proto__":{"admin":true}}', '\u0000'),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
}
