import { expect } from 'chai';
import {
  CALIBRATED_ASSIGN_THRESHOLDS,
  UNCALIBRATED_ASSIGN_THRESHOLD,
  defaultEngineSettings,
  passDensity,
  settingsForVolume,
} from './settings.js';

describe('engine settings', () => {
  it('uses the calibrated threshold of a known model and a conservative one otherwise', () => {
    expect(defaultEngineSettings('trendmill-local-v1').assignThreshold).to.equal(
      CALIBRATED_ASSIGN_THRESHOLDS['trendmill-local-v1'],
    );
    expect(defaultEngineSettings('some/other-model').assignThreshold).to.equal(UNCALIBRATED_ASSIGN_THRESHOLD);
  });

  it('merges only above the assignment threshold', () => {
    const settings = defaultEngineSettings('trendmill-local-v1');
    expect(settings.mergeThreshold).to.be.greaterThan(settings.assignThreshold);
  });

  it('applies overrides and refuses impossible values', () => {
    expect(defaultEngineSettings('m', { minClusterSize: 12 }).minClusterSize).to.equal(12);
    expect(() => defaultEngineSettings('m', { minClusterSize: 1 })).to.throw(RangeError, /minClusterSize/);
    expect(() => defaultEngineSettings('m', { assignThreshold: 2 })).to.throw(RangeError, /assignThreshold/);
    expect(() => defaultEngineSettings('')).to.throw(RangeError, /model/);
  });

  it('scales cluster size and the discovery trigger with the volume', () => {
    const small = settingsForVolume('m', 2_000);
    const large = settingsForVolume('m', 20_000);
    expect(small.minClusterSize).to.equal(5);
    expect(large.minClusterSize).to.equal(12);
    expect(large.minSamples).to.equal(6);
    expect(small.discoveryPoolTrigger).to.equal(200);
    expect(large.discoveryPoolTrigger).to.equal(2_000);
    expect(() => settingsForVolume('m', 0)).to.throw(RangeError);
  });

  it("raises a pass's density parameters with the candidates it sees, never below the settings", () => {
    const defaults = defaultEngineSettings('m');
    expect(passDensity(defaults, 160)).to.deep.equal({ minClusterSize: 5, minSamples: 3 });
    expect(passDensity(defaults, 20_000)).to.deep.equal({ minClusterSize: 12, minSamples: 6 });
    // The volume rule of settingsForVolume: a pass over a whole set asks what the set's settings hold.
    const set = settingsForVolume('m', 12_340);
    expect(passDensity(defaults, 12_340)).to.deep.equal({
      minClusterSize: set.minClusterSize,
      minSamples: set.minSamples,
    });
    // Configured sizes are floors.
    expect(passDensity({ minClusterSize: 10, minSamples: 5 }, 160)).to.deep.equal({
      minClusterSize: 10,
      minSamples: 5,
    });
  });
});
