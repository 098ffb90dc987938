import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  WEBHOOK_SECRET_KEY_FILE,
  createSecretBox,
  ensureLocalSecretKey,
  parseSecretKey,
  readSecret,
  storedSecret,
} from './secret-box.js';

describe('webhook secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('seals a secret so the stored text does not contain it, and opens it again', () => {
    const sealed = box.seal('whsec_super-secret-value');
    expect(sealed).to.match(/^v1\./).and.not.include('super-secret');
    expect(box.seal('whsec_super-secret-value'), 'a fresh IV each time').to.not.equal(sealed);
    expect(box.open(sealed)).to.equal('whsec_super-secret-value');
  });

  it('refuses a tampered value and a value sealed under another key', () => {
    const sealed = box.seal('whsec_abc');
    // The second-to-last character carries ciphertext bits only (the last one also padding bits).
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(flipped).to.not.equal(sealed);
    expect(() => readSecret(flipped, box)).to.throw(/cannot be decrypted/);
    expect(() => readSecret(sealed, createSecretBox(randomBytes(32)))).to.throw(/cannot be decrypted/);
    expect(() => readSecret(sealed, undefined)).to.throw(/no webhook secret key/);
  });

  it('reads rows stored before a key was configured as they are', () => {
    expect(readSecret('whsec_legacy', box)).to.equal('whsec_legacy');
    expect(storedSecret('whsec_x', undefined)).to.equal('whsec_x');
    expect(readSecret(storedSecret('whsec_x', box), box)).to.equal('whsec_x');
  });

  it('parses 32-byte keys as hex or base64, and nothing else', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url')])
      expect(parseSecretKey(text)?.equals(key), text).to.equal(true);
    expect(parseSecretKey('short')).to.equal(undefined);
    expect(parseSecretKey(randomBytes(16).toString('hex'))).to.equal(undefined);
  });

  it('keeps the embedded key in a 0600 file and reads the same key back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trendmill-secret-key-'));
    try {
      const first = await ensureLocalSecretKey(dir);
      const again = await ensureLocalSecretKey(dir);
      expect(again.equals(first)).to.equal(true);
      const file = join(dir, WEBHOOK_SECRET_KEY_FILE);
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
      expect(parseSecretKey(await readFile(file, 'utf8'))?.equals(first)).to.equal(true);
      await writeFile(file, 'garbage\n');
      const refused = await ensureLocalSecretKey(dir).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(refused, 'an unreadable key file is never replaced').to.include('does not hold a 32-byte key');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
