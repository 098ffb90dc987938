import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../usage-error.js';
import { parseFeedCommand } from './parse-feed.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../collector/test/fixtures/feeds/${name}`, import.meta.url));

/** Runs the command with console.log captured. */
async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    const code = await parseFeedCommand.run(argv);
    return { code, stdout: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

describe('trendmill parse-feed', () => {
  it('prints the parsed feed as pretty JSON and exits 0', async () => {
    const { code, stdout } = await run([
      fixture('rss-relative-links.xml'),
      '--url',
      'https://news.example.org/f.xml',
    ]);
    expect(code).to.equal(0);
    expect(stdout).to.contain('\n  "title": "Relative links",');
    const feed = JSON.parse(stdout);
    expect(feed.title).to.equal('Relative links');
    expect(feed.link).to.equal('https://news.example.org/');
    expect(feed.items[0]).to.deep.equal({
      id: 'https://news.example.org/posts/1',
      title: 'Root-relative',
      link: 'https://news.example.org/posts/1',
      published: null,
      author: null,
      summary: null,
      content: null,
    });
  });

  it('honours --content-type for the charset', async () => {
    const { code, stdout } = await run([
      fixture('undeclared-latin1.xml'),
      '--content-type',
      'application/rss+xml; charset=ISO-8859-1',
    ]);
    expect(code).to.equal(0);
    expect(JSON.parse(stdout).items[0].title).to.equal('Café crème brûlée à la française, déjà vu');
  });

  it('still prints the JSON, with its error, and exits 1 for a feed that cannot be read', async () => {
    const { code, stdout } = await run([fixture('billion-laughs.xml')]);
    expect(code).to.equal(1);
    expect(JSON.parse(stdout)).to.deep.equal({
      title: null,
      link: null,
      items: [],
      error: 'feed declares XML entities (DTD); refused for safety',
    });
  });

  it('treats a missing FILE, extra arguments, unknown options and a relative --url as usage errors', async () => {
    for (const argv of [
      [],
      ['a.xml', 'b.xml'],
      ['a.xml', '--bogus'],
      ['a.xml', '--url'],
      ['a.xml', '--url', '/x'],
    ]) {
      const error = await parseFeedCommand.run(argv).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, JSON.stringify(argv)).to.be.instanceOf(UsageError);
    }
  });

  it('fails (for main to report) when the file cannot be read', async () => {
    const error = await parseFeedCommand.run([fixture('no-such-file.xml')]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(Error).and.have.property('code', 'ENOENT');
  });

  it('prints its usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).to.equal(0);
    expect(stdout).to.contain('trendmill parse-feed FILE [--url URL] [--content-type TYPE]');
  });
});
