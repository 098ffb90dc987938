import { parseArgs } from 'node:util';
import { createBroker, type Broker } from '@trendmill/platform';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

const usage = `Usage:
  trendmill dlq list   [--group NAME] [--limit N] [--json]
  trendmill dlq replay [--group NAME] [--id EVENT_ID ...]

Reads the dead-letter queues of the broker named by BROKER_URL (default amqp://guest:guest@127.0.0.1:5672).
Without --group, every Trendmill service's queue is read. replay without --id replays everything.`;

export const dlq: Command = {
  summary: 'list or replay dead-lettered events',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        group: { type: 'string' },
        limit: { type: 'string' },
        id: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const action = positionals[0];
    if (action !== 'list' && action !== 'replay') throw new UsageError('expected "list" or "replay"');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0))
      throw new UsageError('--limit must be a positive integer');

    const url = process.env.BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
    if (url.startsWith('memory:')) {
      throw new Error(
        'BROKER_URL is memory://: that broker lives inside the running Trendmill process, not reachable from here',
      );
    }
    const broker: Broker = await createBroker(url, { service: 'cli' });
    try {
      const group = values.group;
      if (action === 'list') {
        const letters = await broker.deadLetters.list({
          ...(group ? { group } : {}),
          ...(limit ? { limit } : {}),
        });
        if (values.json) {
          console.log(JSON.stringify(letters.map((d) => ({ ...d, body: d.body.toString('utf8') }))));
        } else if (letters.length === 0) {
          console.log('No dead letters.');
        } else {
          for (const d of letters) {
            console.log(
              `${d.group}\t${d.id}\t${d.type}\tattempts=${d.attempts}\t${d.deadLetteredAt}\t${d.reason}`,
            );
          }
          console.log(`${letters.length} dead letter(s).`);
        }
      } else {
        const n = await broker.deadLetters.replay({
          ...(group ? { group } : {}),
          ...(values.id ? { ids: values.id } : {}),
        });
        console.log(values.json ? JSON.stringify({ replayed: n }) : `Replayed ${n} dead letter(s).`);
      }
      return 0;
    } finally {
      await broker.close();
    }
  },
};
