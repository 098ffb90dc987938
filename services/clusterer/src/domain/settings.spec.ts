import { expect } from 'chai';
import {
  CALIBRATED_ASSIGN_THRESHOLDS,
  UNCALIBRATED_ASSIGN_THRESHOLD,
  defaultEngineSettings,
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
});
