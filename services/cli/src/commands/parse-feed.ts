import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseFeed } from '@trendmill/collector';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

const usage = `Usage:
  trendmill parse-feed FILE [--url URL] [--content-type TYPE]

Parses an RSS 0.9x/2.0, RDF, Atom or JSON Feed file the way the collector does and prints
{ "title", "link", "items": [...] } as JSON. --url is where the feed came from (the base for
relative links); --content-type is the HTTP header it came with (its charset is honoured).
Exits 0 when the feed was read, 1 when the output carries an "error".`;

export const parseFeedCommand: Command = {
  summary: 'parse a feed file (RSS, RDF, Atom, JSON Feed) and print it as JSON',
  usage,
  async run(argv) {
    const { values, positionals } = parseArguments(argv);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError('expected exactly one FILE');
    if (values.url !== undefined && !URL.canParse(values.url))
      throw new UsageError(`--url must be an absolute URL, got "${values.url}"`);

    const feed = parseFeed(await readFile(file), {
      ...(values.url !== undefined ? { url: values.url } : {}),
      ...(values['content-type'] !== undefined ? { contentType: values['content-type'] } : {}),
    });
    console.log(JSON.stringify(feed, null, 2));
    return feed.error === undefined ? 0 : 1;
  },
};

function parseArguments(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'content-type': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // node:util reports unknown options and missing values as TypeErrors; they are usage mistakes.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
