import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { LOG_LEVELS, runService, type LogLevel } from '@trendmill/platform';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { startEmbedded, type Embedded } from '../embedded/launcher.js';
import { sampleProgressDisplay } from '../embedded/sample-progress.js';

const usage = `Usage: trendmill run [--port N] [--host ADDRESS] [--data DIR]

Starts the embedded default: every Trendmill service in one process, no external servers.
Defaults: --port $TRENDMILL_PORT or 8080, --host $TRENDMILL_HOST or 127.0.0.1, --data $TRENDMILL_DATA or ./data.
--sample FILE imports a JSONL file of posts at start ($TRENDMILL_SAMPLE_DATA; default the bundled
deploy/sample-data/posts.jsonl; "off" for none). $TRENDMILL_FETCH_ALLOWLIST (comma-separated CIDRs
or host names) lets the collector fetch from addresses the SSRF guard refuses, e.g. 127.0.0.0/8.
On its first start it subscribes to a few well-known public feeds ($TRENDMILL_DEFAULT_SOURCES=off
for none); without a network they show as failing in their health and back off.`;

export const run: Command = {
  summary: 'start the embedded default (one process, no servers) on http://localhost:8080',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        sample: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const port = Number(values.port ?? process.env.TRENDMILL_PORT ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0-65535');
    const host = values.host ?? process.env.TRENDMILL_HOST ?? '127.0.0.1';
    const dataDir = resolve(values.data ?? process.env.TRENDMILL_DATA ?? 'data');
    const sampleSetting = values.sample ?? process.env.TRENDMILL_SAMPLE_DATA;
    const sampleData =
      sampleSetting === undefined ? undefined : sampleSetting === 'off' ? false : resolve(sampleSetting);
    const fetchAllowlist = (process.env.TRENDMILL_FETCH_ALLOWLIST ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const logLevel = (process.env.LOG_LEVEL ?? 'info') as LogLevel;
    if (!LOG_LEVELS.includes(logLevel))
      throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

    let embedded: Embedded | undefined;
    await runService({
      name: 'trendmill',
      logger: console,
      start: async () => {
        const progress = sampleProgressDisplay(process.stderr);
        embedded = await startEmbedded({
          port,
          host,
          dataDir,
          logLevel,
          fetchAllowlist,
          onSampleProgress: progress.update,
          defaultSources: process.env.TRENDMILL_DEFAULT_SOURCES !== 'off',
          ...(sampleData === undefined ? {} : { sampleData }),
        });
        const { url, apiKey } = embedded;
        // The key goes to the terminal (it is the user's own, for local use), never to the logs.
        console.log(
          [
            '',
            `Trendmill is running on ${url}  (Ctrl-C to stop)`,
            `  dashboard  ${url}/`,
            `  API        ${url}/api/v1   (reference: ${url}/docs)`,
            `  API key    ${apiKey.key}   (admin scope; kept in ${apiKey.file})`,
            `  try        curl -H "Authorization: Bearer ${apiKey.key}" ${url}/api/v1/clusters`,
            '',
          ].join('\n'),
        );
      },
      stop: async () => embedded?.stop(),
    });
    // runService owns the process from here: it exits on SIGINT/SIGTERM after a graceful stop.
    await new Promise<never>(() => undefined);
    return 0;
  },
};
