import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key kept outside the database
 * (GATEWAY_WEBHOOK_SECRET_KEY, or a 0600 key file in the embedded default), so a copy of the
 * database alone cannot forge deliveries. Sealed values read `v1.<base64url(iv | tag | ciphertext)>`.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const WEBHOOK_SECRET_KEY_FILE = 'gateway-webhook-secret.key';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError('the webhook secret key must be 32 bytes');
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (!sealed.startsWith(PREFIX) || raw.length < IV_BYTES + TAG_BYTES)
        throw new Error('not a sealed webhook secret');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

/** What is stored for a new subscription: sealed when a box is configured. */
export function storedSecret(secret: string, box: SecretBox | undefined): string {
  return box ? box.seal(secret) : secret;
}

/**
 * The signing secret of a stored row. Rows written before a key was configured hold the plain
 * secret and still work; a sealed row without the key (or under another key) throws, so it is
 * never signed with ciphertext.
 */
export function readSecret(stored: string, box: SecretBox | undefined): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (!box) throw new Error('the signing secret is encrypted and no webhook secret key is configured');
  try {
    return box.open(stored);
  } catch {
    throw new Error('the signing secret cannot be decrypted with the configured webhook secret key');
  }
}

/** 32 bytes given as 64 hex characters or base64 / base64url (e.g. `openssl rand -base64 32`). */
export function parseSecretKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url');
  return key.length === 32 ? key : undefined;
}

/**
 * The embedded default's key: created once in `<dataDir>/gateway-webhook-secret.key` (0600),
 * like the local admin key, and read back on every start so stored secrets stay readable.
 */
export async function ensureLocalSecretKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, WEBHOOK_SECRET_KEY_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const existing = parseSecretKey(text);
    // Replacing it would make every stored secret unreadable: a person has to look.
    if (!existing) throw new Error(`${file} does not hold a 32-byte key (hex or base64)`);
    await chmod(file, 0o600);
    return existing;
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return key;
}
