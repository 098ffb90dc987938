import { createHash } from 'node:crypto';

/**
 * Model names (`sentence-transformers/all-MiniLM-L6-v2`, anything up to 200 characters) become
 * collection and folder names. The encoding keeps letters, digits and `-`, and writes every other
 * UTF-8 byte as `_xx` (lower-case hex), so it is reversible, readable for ordinary names, and can
 * never produce `/`, `\`, `.` or `..`: no path traversal, whatever the model is called.
 */
export function encodeModelName(model: string): string {
  let out = '';
  for (const byte of Buffer.from(model, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(ch) ? ch : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The inverse of encodeModelName; undefined for a name that is not such an encoding. */
export function decodeModelName(encoded: string): string | undefined {
  if (!/^(?:[A-Za-z0-9-]|_[0-9a-f]{2})*$/.test(encoded)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length;) {
    if (encoded[i] === '_') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(encoded.charCodeAt(i));
      i += 1;
    }
  }
  const model = Buffer.from(bytes).toString('utf8');
  // Reject encodings of bytes that are not valid UTF-8, or that spell a kept character as `_xx`.
  return encodeModelName(model) === encoded ? model : undefined;
}

/**
 * A folder name for a model: the encoding when it is short, else a readable start plus a hash of
 * the full name (file systems cap names at 255 bytes). The folder also records the exact model
 * name, which is what identifies it; the folder name only has to be safe and stable.
 */
export function modelFolderName(model: string): string {
  const encoded = encodeModelName(model);
  if (encoded.length <= 120) return encoded;
  const hash = createHash('sha256').update(model, 'utf8').digest('hex').slice(0, 24);
  // `_h` never occurs in an encoding (`_` is always followed by two hex digits): no short name can collide.
  return `${encoded.slice(0, 90).replace(/_[0-9a-f]?$/, '')}_h${hash}`;
}
