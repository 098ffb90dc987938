import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmbedded } from './launcher.js';

describe('embedded launcher settings', () => {
  it('reads the clusterer tunables from its environment: a bad value fails the start, naming it, before anything is created', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'trendmill-launcher-'));
    const dataDir = join(parent, 'data');
    try {
      const error = await startEmbedded({
        port: 0,
        host: '127.0.0.1',
        dataDir,
        sampleData: false,
        defaultSources: false,
        env: { CLUSTERER_DISCOVERY_INTERVAL_MS: 'soon', CLUSTERER_ASSIGN_THRESHOLD: '2' },
      }).then(
        (app) => app.stop().then(() => expect.fail('started with bad clusterer settings')),
        (err: Error) => err,
      );
      expect(error.message).to.match(/CLUSTERER_DISCOVERY_INTERVAL_MS/);
      expect(error.message).to.match(/CLUSTERER_ASSIGN_THRESHOLD/);
      expect(existsSync(dataDir)).to.equal(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
