#!/usr/bin/env node
// Runs every test tier with mocha and ends with one plain line: `N passed, N failed, N skipped`.
// Usage: node scripts/test.mjs [static|unit|integration|e2e|deploy|browser ...]   (default: all tiers)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each tier: which files (repo-relative paths) belong to it.
const TIERS = {
  unit: /^(shared-contracts\/src|services\/[^/]+\/src|bench)\/.*\.spec\.ts$/,
  integration: /^services\/[^/]+\/test\/integration\/.*\.test\.ts$/,
  e2e: /^test\/e2e\/.*\.test\.ts$/,
  deploy: /^test\/deploy\/.*\.test\.ts$/,
  browser: /^test\/browser\/.*\.test\.ts$/,
};
const allFiles = ['shared-contracts', 'services', 'bench', 'test']
  .filter((root) => existsSync(root))
  .flatMap((root) => readdirSync(root, { recursive: true }).map((f) => `${root}/${f}`.split('\\').join('/')))
  .filter((f) => !f.includes('node_modules/'))
  .sort();

// Static checks count as tests so a lint or type error still ends in the one summary line.
const STATIC_CHECKS = {
  'eslint (no lint errors)': ['npx', ['eslint', '.']],
  'prettier (formatting)': ['npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  'tsc (strict typecheck of every package, tests and benches)': ['npx', ['tsc', '-p', 'tsconfig.json']],
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['static', ...Object.keys(TIERS)];
const dir = mkdtempSync(join(tmpdir(), 'trendmill-test-'));
const total = { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [], fileSeconds: {} };
const started = Date.now();
const tierSeconds = {};
const crashed = [];

// The deploy tier (a fresh clone's `npm ci` and build, then `make run`) spends most of its time
// waiting on npm and the disk, so it runs beside the other tiers, its output held back and
// printed when it is done; TRENDMILL_TEST_SERIAL=1 runs every tier in turn.
const BESIDE = process.env.TRENDMILL_TEST_SERIAL === '1' || wanted.length < 2 ? [] : ['deploy'];
const besideRuns = wanted.filter((tier) => BESIDE.includes(tier)).map((tier) => runTier(tier, true));
for (const tier of wanted) {
  if (BESIDE.includes(tier)) continue;
  if (tier === 'static') {
    console.log('\n=== static checks ===');
    for (const [name, [cmd, args]] of Object.entries(STATIC_CHECKS)) {
      // Not spawnSync: the event loop must keep reading the output of the tier run beside.
      const status = await new Promise((resolve) =>
        spawn(cmd, args, { stdio: 'inherit' }).on('close', (code) => resolve(code)),
      );
      const ok = status === 0;
      console.log(`  ${ok ? '✔' : '✖'} ${name}`);
      if (ok) total.passed++;
      else {
        total.failed++;
        total.failedTests.push(`static: ${name}`);
      }
    }
    continue;
  }
  await runTier(tier, false);
}
for (const run of besideRuns) await run;

/** Runs one tier's files with mocha and adds its tally; `held`: output is printed when it ends. */
async function runTier(tier, held) {
  const pattern = TIERS[tier];
  if (!pattern) {
    console.error(`unknown test tier "${tier}" (known: ${Object.keys(TIERS).join(', ')})`);
    process.exit(2);
  }
  const files = allFiles.filter((f) => pattern.test(f));
  if (files.length === 0) return;
  const tierStart = Date.now();
  const heading = `\n=== ${tier} tests (${files.length} files)${held ? ', run beside the other tiers' : ''} ===`;
  if (held) console.log(`\n(${tier} tests run beside the other tiers; their output follows when they end)`);
  else console.log(heading);
  const tallyFile = join(dir, `${tier}.json`);
  const child = spawn('npx', ['mocha', '--reporter', './scripts/summary-reporter.cjs', ...files], {
    stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, TRENDMILL_TALLY: tallyFile },
  });
  const output = [];
  if (held) {
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
  }
  const status = await new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  if (held) {
    console.log(heading);
    process.stdout.write(Buffer.concat(output));
  }
  if (!existsSync(tallyFile)) {
    crashed.push(`${tier} (mocha exited with ${status} before reporting)`);
    return;
  }
  tierSeconds[tier] = (Date.now() - tierStart) / 1000;
  const t = JSON.parse(readFileSync(tallyFile, 'utf8'));
  Object.assign(total.fileSeconds, t.fileSeconds ?? {});
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
  total.skippedTests.push(...t.skippedTests);
  total.failedTests.push(...t.failedTests);
}

const slowest = Object.entries(total.fileSeconds)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12);
if (slowest.length) {
  console.log('\nSlowest test files (wall seconds):');
  for (const [file, s] of slowest)
    console.log(`  ${s.toFixed(1).padStart(7)}  ${file.replace(process.cwd() + '/', '')}`);
  console.log(
    `Tiers: ${Object.entries(tierSeconds)
      .map(([t, s]) => `${t} ${s.toFixed(0)} s`)
      .join(', ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}
if (total.skippedTests.length) {
  console.log('\nSkipped (not run, not counted as passed):');
  for (const s of total.skippedTests) console.log(`  - ${s}`);
}
if (total.failedTests.length) {
  console.log('\nFailed:');
  for (const s of total.failedTests) console.log(`  - ${s}`);
}
for (const c of crashed) console.log(`\nCrashed tier: ${c}`);
const failed = total.failed + crashed.length;
console.log(`\n${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
