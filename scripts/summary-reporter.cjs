// Mocha reporter: the usual spec output, plus a machine-readable tally written to
// $TRENDMILL_TALLY so scripts/test.mjs can add up tiers and print one plain summary line.
const fs = require('node:fs');
const { reporters, Runner } = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Runner.constants;

class SummaryReporter extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const tally = { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [], fileSeconds: {} };
    // Wall time per test file (hooks included), so a slow tier can be traced to its files.
    let current = { file: undefined, since: Date.now() };
    const charge = (file) => {
      const now = Date.now();
      if (current.file)
        tally.fileSeconds[current.file] =
          (tally.fileSeconds[current.file] ?? 0) + (now - current.since) / 1000;
      current = { file, since: now };
    };
    runner.on(Runner.constants.EVENT_SUITE_BEGIN, (suite) => suite.file && charge(suite.file));
    runner.on(Runner.constants.EVENT_SUITE_END, (suite) => suite.file && charge(suite.file));
    runner.on(EVENT_TEST_PASS, () => tally.passed++);
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      tally.failed++;
      tally.failedTests.push(`${test.fullTitle()}: ${err && err.message ? err.message.split('\n')[0] : err}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      tally.skipped++;
      tally.skippedTests.push(test.fullTitle());
    });
    runner.once(EVENT_RUN_END, () => {
      charge(undefined);
      if (process.env.TRENDMILL_TALLY) fs.writeFileSync(process.env.TRENDMILL_TALLY, JSON.stringify(tally));
    });
  }
}

module.exports = SummaryReporter;
