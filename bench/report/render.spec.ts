import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEntry } from './catalog.js';
import { benchCommand, jsonLines, readRuns, saveRun, type RecordedRun } from './recorded-run.js';
import { registryNames } from './registry.js';
import { renderBenchmarks, renderSection } from './render.js';

const machine = {
  cpus: 2,
  cpu_model: 'Test CPU @ 2.0GHz',
  memory_gib: 8,
  node: 'v20.20.2',
  platform: 'linux 6.1.0',
};

const assignEntry: CatalogEntry = {
  name: 'assign',
  issue: 5,
  measures: 'Streaming assignments/s.',
  target: 'reported (no threshold)',
  args: [],
};

function run(overrides: Partial<RecordedRun>): RecordedRun {
  return {
    bench: 'assign',
    args: [],
    command: 'npm run bench -- assign',
    date: '2026-12-05T17:20:31.123Z',
    seconds: 12.5,
    machine,
    loadAtStart: 0.4,
    lines: [],
    ...overrides,
  };
}

describe('BENCHMARKS.md renderer', () => {
  it('writes one table per run of lines with the same keys, without the echoed machine and bench name', () => {
    const lines = jsonLines(
      [
        'warming up…',
        JSON.stringify({
          bench: 'assign',
          liveClusters: 1000,
          perSecond: 5210,
          search: 'exact | scan',
          machine,
        }),
        JSON.stringify({ bench: 'assign', liveClusters: 10000, perSecond: 2101, search: 'hnsw', machine }),
        '{not json',
        JSON.stringify({ level: 'warn', message: 'clusterer on standby', service: 'trendmill' }),
        JSON.stringify({ summary: true, rounds: { raw: [1, 2] } }),
      ].join('\n'),
    );
    const section = renderSection({ name: 'assign', entry: assignEntry, runs: [run({ lines })] }).join('\n');
    expect(section).to.equal(
      [
        '## assign',
        '',
        'Streaming assignments/s. (issue #5)',
        '',
        '**Target:** reported (no threshold)',
        '',
        '### `npm run bench -- assign`',
        '',
        '2026-12-05 17:20 UTC · 12.5 s · 2 × Test CPU @ 2.0GHz, 8 GiB, Node v20.20.2, linux 6.1.0 · load 0.4 at start',
        '',
        '| liveClusters | perSecond | search |',
        '|---|---|---|',
        '| 1000 | 5210 | exact \\| scan |',
        '| 10000 | 2101 | hnsw |',
        '',
        '| figure | value |',
        '|---|---|',
        '| summary | true |',
        '| rounds.raw | [1,2] |',
      ].join('\n'),
    );
  });

  it('says "not yet recorded" with the command for a bench without runs, in the section and the summary', () => {
    const page = renderBenchmarks([
      { name: 'api', runs: [], entry: { ...assignEntry, name: 'api', issue: 6 } },
    ]);
    expect(page).to.contain('| [api](#api) | #6 | reported (no threshold) | not yet recorded |  |');
    expect(page).to.contain('_Not yet recorded._ Run `npm run bench -- api` or `npm run benchmarks`.');
  });

  it('lists the standard-argument run first and marks a run started on a busy machine', () => {
    const custom = run({
      args: ['--items', '100'],
      command: 'npm run bench -- assign --items 100',
      date: '2026-12-06T00:00:00Z',
    });
    const standard = run({ loadAtStart: 7.5, lines: [{ x: 1 }] });
    const text = renderSection({ name: 'assign', entry: assignEntry, runs: [custom, standard] }).join('\n');
    expect(text.indexOf('### `npm run bench -- assign`')).to.be.lessThan(text.indexOf('--items 100'));
    expect(text).to.contain('load 7.5 at start ⚠ busy machine');
  });
});

describe('recorded bench runs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-results-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keep one run per argument set: a rerun replaces, other arguments stay', () => {
    saveRun(dir, run({ lines: [{ v: 1 }] }));
    saveRun(dir, run({ args: ['--items', '10'], lines: [{ v: 2 }] }));
    saveRun(dir, run({ lines: [{ v: 3 }] }));
    const runs = readRuns(dir, 'assign');
    expect(runs.map((r) => [r.args, r.lines])).to.deep.equal([
      [['--items', '10'], [{ v: 2 }]],
      [[], [{ v: 3 }]],
    ]);
  });

  it('quote arguments in the recorded command only where a shell needs it', () => {
    expect(benchCommand('pipeline', ['2000', 'embedded'])).to.equal(
      'npm run bench -- pipeline 2000 embedded',
    );
    expect(benchCommand('x', ["it's here"])).to.equal(`npm run bench -- x 'it'\\''s here'`);
  });

  it('read the registry names from bench/run.ts text, quoted or not', () => {
    const source =
      "const benches = {\n  api: () => import('./api.js'),\n  'cluster-quality': () => import('./cq.js'),\n};";
    expect(registryNames(source)).to.deep.equal(['api', 'cluster-quality']);
  });
});
