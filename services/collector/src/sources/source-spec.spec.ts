import { expect } from 'chai';
import fc from 'fast-check';
import type { ZodType } from 'zod';
import { blockedRange, parseIp } from '../fetch/index.js';
import {
  checkUrlAllowed,
  createSourceInput,
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_JITTER,
  defineSource,
  InvalidSourceError,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  updateSourceInput,
} from './source-spec.js';

/** The issues a user would see for `value`, as `path: message` (the path empty for the body). */
function issuesOf(schema: ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function refusal(fn: () => unknown): InvalidSourceError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidSourceError);
    return error as InvalidSourceError;
  }
  throw new Error('expected an InvalidSourceError');
}

const define = (value: unknown, allowlist?: string[]) =>
  defineSource(createSourceInput.parse(value), allowlist);

describe('createSourceInput', () => {
  describe('feed', () => {
    it('accepts an http(s) URL with optional name, interval and jitter', () => {
      expect(createSourceInput.parse({ type: 'feed', url: 'https://example.com/feed.xml' })).to.deep.equal({
        type: 'feed',
        url: 'https://example.com/feed.xml',
      });
      expect(
        createSourceInput.parse({
          type: 'feed',
          url: 'http://example.com:8080/rss?x=1',
          name: '  Example  ',
          intervalSeconds: MIN_INTERVAL_SECONDS,
          jitter: 0.5,
        }),
      ).to.deep.equal({
        type: 'feed',
        url: 'http://example.com:8080/rss?x=1',
        name: 'Example',
        intervalSeconds: 60,
        jitter: 0.5,
      });
    });

    it('refuses URLs that are not absolute http(s), naming the url field', () => {
      for (const url of [
        'ftp://example.com/feed',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'gopher://example.com/',
        'data:text/xml,<rss/>',
        'ws://example.com/feed',
        '/feed.xml',
        'example.com/feed.xml',
        'not a url',
        '',
      ]) {
        expect(issuesOf(createSourceInput, { type: 'feed', url }), url).to.deep.equal([
          'url: expected an absolute http(s) URL',
        ]);
      }
    });

    it('refuses a URL longer than 4000 characters', () => {
      const url = `https://example.com/${'a'.repeat(4000)}`;
      expect(issuesOf(createSourceInput, { type: 'feed', url })).to.deep.equal([
        'url: Too big: expected string to have <=4000 characters',
      ]);
      const longest = `https://example.com/${'a'.repeat(4000 - 20)}`;
      expect(createSourceInput.safeParse({ type: 'feed', url: longest }).success).to.equal(true);
    });

    it('needs a url, as a string', () => {
      expect(issuesOf(createSourceInput, { type: 'feed' })).to.have.length(1);
      expect(issuesOf(createSourceInput, { type: 'feed' })[0]).to.match(/^url: .*expected string/);
      expect(issuesOf(createSourceInput, { type: 'feed', url: 42 })[0]).to.match(/^url: .*expected string/);
    });

    it('refuses fields that belong to other source types or to nobody', () => {
      expect(
        issuesOf(createSourceInput, { type: 'feed', url: 'https://example.com/', subreddit: 'rust' }),
      ).to.deep.equal([': Unrecognized key: "subreddit"']);
      expect(
        issuesOf(createSourceInput, { type: 'feed', url: 'https://example.com/', intervall: 60 })[0],
      ).to.include('"intervall"');
    });
  });

  describe('reddit', () => {
    it('accepts a subreddit with optional sort and period', () => {
      expect(createSourceInput.parse({ type: 'reddit', subreddit: 'rust' })).to.deep.equal({
        type: 'reddit',
        subreddit: 'rust',
      });
      expect(
        createSourceInput.parse({ type: 'reddit', subreddit: 'r/rust', sort: 'top', period: 'week' }),
      ).to.deep.equal({ type: 'reddit', subreddit: 'r/rust', sort: 'top', period: 'week' });
    });

    it('refuses unknown sorts and periods, an empty or over-long subreddit, and a url', () => {
      expect(issuesOf(createSourceInput, { type: 'reddit', subreddit: 'rust', sort: 'rising' })[0]).to.match(
        /^sort: .*"new"\|"hot"\|"top"/,
      );
      expect(
        issuesOf(createSourceInput, { type: 'reddit', subreddit: 'rust', period: 'decade' })[0],
      ).to.match(/^period: /);
      expect(issuesOf(createSourceInput, { type: 'reddit', subreddit: '' })[0]).to.match(/^subreddit: /);
      expect(issuesOf(createSourceInput, { type: 'reddit', subreddit: 'x'.repeat(101) })[0]).to.match(
        /^subreddit: /,
      );
      expect(issuesOf(createSourceInput, { type: 'reddit' })[0]).to.match(/^subreddit: /);
      expect(
        issuesOf(createSourceInput, { type: 'reddit', subreddit: 'rust', url: 'https://reddit.com/r/rust' }),
      ).to.deep.equal([': Unrecognized key: "url"']);
    });
  });

  describe('hackernews', () => {
    it('accepts the top, new and best lists with an optional limit of 1-500', () => {
      for (const list of ['top', 'new', 'best']) {
        expect(createSourceInput.parse({ type: 'hackernews', list })).to.deep.equal({
          type: 'hackernews',
          list,
        });
      }
      expect(createSourceInput.parse({ type: 'hackernews', list: 'top', limit: 1 })).to.have.property(
        'limit',
        1,
      );
      expect(createSourceInput.parse({ type: 'hackernews', list: 'top', limit: 500 })).to.have.property(
        'limit',
        500,
      );
    });

    it('refuses other lists, a missing list and a limit outside 1-500 or not an integer', () => {
      expect(issuesOf(createSourceInput, { type: 'hackernews', list: 'ask' })[0]).to.match(
        /^list: .*"top"\|"new"\|"best"/,
      );
      expect(issuesOf(createSourceInput, { type: 'hackernews' })[0]).to.match(/^list: /);
      for (const limit of [0, 501, 2.5, '10']) {
        expect(
          issuesOf(createSourceInput, { type: 'hackernews', list: 'top', limit })[0],
          String(limit),
        ).to.match(/^limit: /);
      }
    });
  });

  it('refuses a missing or unknown type, naming the type field and the types there are', () => {
    for (const value of [
      {},
      { type: 'push' },
      { type: 'jsonl' },
      { type: 'FEED', url: 'https://x.example/' },
    ]) {
      const [issue, ...rest] = issuesOf(createSourceInput, value);
      expect(rest, JSON.stringify(value)).to.deep.equal([]);
      expect(issue, JSON.stringify(value)).to.match(/^type: /);
      expect(issue).to.include("'feed' | 'reddit' | 'hackernews'");
    }
  });

  it('refuses a body that is not an object', () => {
    for (const value of [null, 'feed', 42, []]) {
      expect(createSourceInput.safeParse(value).success, JSON.stringify(value)).to.equal(false);
    }
  });

  it('bounds the interval (whole seconds, 60s to 7 days), the jitter (0-0.5) and the name (1-200)', () => {
    const feed = (extra: object) => ({ type: 'feed', url: 'https://example.com/', ...extra });
    expect(createSourceInput.safeParse(feed({ intervalSeconds: MAX_INTERVAL_SECONDS })).success).to.equal(
      true,
    );
    expect(createSourceInput.safeParse(feed({ jitter: 0 })).success).to.equal(true);
    expect(createSourceInput.safeParse(feed({ name: 'n'.repeat(200) })).success).to.equal(true);
    const refused: Array<[object, RegExp]> = [
      [{ intervalSeconds: 59 }, /^intervalSeconds: .*>=60/],
      [{ intervalSeconds: MAX_INTERVAL_SECONDS + 1 }, /^intervalSeconds: .*<=604800/],
      [{ intervalSeconds: 90.5 }, /^intervalSeconds: .*int/],
      [{ intervalSeconds: '900' }, /^intervalSeconds: /],
      [{ jitter: -0.1 }, /^jitter: .*>=0/],
      [{ jitter: 0.51 }, /^jitter: .*<=0.5/],
      [{ name: '' }, /^name: /],
      [{ name: '   ' }, /^name: /],
      [{ name: 'n'.repeat(201) }, /^name: /],
    ];
    for (const [extra, message] of refused) {
      expect(issuesOf(createSourceInput, feed(extra)), JSON.stringify(extra)).to.have.length(1);
      expect(issuesOf(createSourceInput, feed(extra))[0], JSON.stringify(extra)).to.match(message);
    }
  });
});

describe('updateSourceInput', () => {
  it('accepts any non-empty subset of the editable fields', () => {
    expect(updateSourceInput.parse({ name: ' Renamed ' })).to.deep.equal({ name: 'Renamed' });
    expect(
      updateSourceInput.parse({
        url: 'https://example.com/new.xml',
        intervalSeconds: 3600,
        jitter: 0.2,
        sort: 'hot',
        period: 'day',
        limit: 50,
      }),
    ).to.deep.equal({
      url: 'https://example.com/new.xml',
      intervalSeconds: 3600,
      jitter: 0.2,
      sort: 'hot',
      period: 'day',
      limit: 50,
    });
  });

  it('says there is nothing to update for an empty patch', () => {
    expect(issuesOf(updateSourceInput, {})).to.deep.equal([': nothing to update']);
  });

  it('refuses fields that cannot be changed, such as the type or the subreddit', () => {
    expect(issuesOf(updateSourceInput, { type: 'reddit' })).to.include(': Unrecognized key: "type"');
    expect(issuesOf(updateSourceInput, { name: 'x', subreddit: 'rust' })).to.deep.equal([
      ': Unrecognized key: "subreddit"',
    ]);
  });

  it('validates each field as creation does', () => {
    const refused: Array<[object, RegExp]> = [
      [{ url: 'file:///etc/passwd' }, /^url: expected an absolute http\(s\) URL$/],
      [{ url: 'relative/path' }, /^url: expected an absolute http\(s\) URL$/],
      [{ intervalSeconds: 30 }, /^intervalSeconds: /],
      [{ intervalSeconds: 1.5 }, /^intervalSeconds: /],
      [{ jitter: 1 }, /^jitter: /],
      [{ name: ' ' }, /^name: /],
      [{ sort: 'rising' }, /^sort: /],
      [{ period: 'decade' }, /^period: /],
      [{ limit: 0 }, /^limit: /],
      [{ limit: 501 }, /^limit: /],
      [{ url: null }, /^url: /],
    ];
    for (const [patch, message] of refused) {
      const issues = issuesOf(updateSourceInput, patch);
      expect(issues, JSON.stringify(patch)).to.have.length(1);
      expect(issues[0], JSON.stringify(patch)).to.match(message);
    }
  });
});

describe('defineSource', () => {
  describe('feed', () => {
    it('names the source after the host, uses the defaults and drops the fragment', () => {
      expect(define({ type: 'feed', url: 'https://Example.COM/feed.xml?a=1#top' })).to.deep.equal({
        type: 'feed',
        name: 'example.com',
        target: 'https://example.com/feed.xml?a=1',
        options: {},
        intervalSeconds: DEFAULT_INTERVAL_SECONDS,
        jitter: DEFAULT_JITTER,
      });
      expect(DEFAULT_INTERVAL_SECONDS).to.equal(900);
      expect(DEFAULT_JITTER).to.equal(0.1);
    });

    it('keeps the given name, interval and jitter', () => {
      const def = define({
        type: 'feed',
        url: 'https://example.com/feed',
        name: 'Mine',
        intervalSeconds: 120,
        jitter: 0,
      });
      expect(def).to.include({ name: 'Mine', intervalSeconds: 120, jitter: 0 });
    });

    it('keeps user info in the target (it becomes Basic auth) but not in the default name', () => {
      const def = define({ type: 'feed', url: 'https://reader:s3cret@feeds.example.com:8443/private.xml' });
      expect(def.target).to.equal('https://reader:s3cret@feeds.example.com:8443/private.xml');
      expect(def.name).to.equal('feeds.example.com:8443');
    });

    it('refuses an internal literal address up front, and lets the allowlist permit it', () => {
      const error = refusal(() => define({ type: 'feed', url: 'http://127.0.0.1:8080/feed' }));
      expect(error.code).to.equal('url_not_allowed');
      const def = define({ type: 'feed', url: 'http://127.0.0.1:8080/feed' }, ['127.0.0.0/8']);
      expect(def.target).to.equal('http://127.0.0.1:8080/feed');
    });
  });

  describe('reddit', () => {
    it('stores the bare subreddit in lower case, names it as typed and sorts by new unless told', () => {
      expect(define({ type: 'reddit', subreddit: '/r/MachineLearning/' })).to.deep.equal({
        type: 'reddit',
        name: 'r/MachineLearning',
        target: 'machinelearning',
        options: { sort: 'new' },
        intervalSeconds: DEFAULT_INTERVAL_SECONDS,
        jitter: DEFAULT_JITTER,
      });
    });

    it('carries sort and period', () => {
      expect(
        define({ type: 'reddit', subreddit: 'rust', sort: 'top', period: 'month' }).options,
      ).to.deep.equal({
        sort: 'top',
        period: 'month',
      });
    });

    it('refuses a name that is not a subreddit with invalid_source, not a crash', () => {
      for (const subreddit of ['../../api/v1/me', 'pics?limit=1', 'a', 'two words']) {
        const error = refusal(() => define({ type: 'reddit', subreddit }));
        expect(error.code, subreddit).to.equal('invalid_source');
        expect(error.message, subreddit).to.match(/^not a subreddit name: /);
      }
    });
  });

  describe('hackernews', () => {
    it('targets the list, with 100 stories unless told', () => {
      expect(define({ type: 'hackernews', list: 'best' })).to.deep.equal({
        type: 'hackernews',
        name: 'Hacker News best',
        target: 'best',
        options: { limit: 100 },
        intervalSeconds: DEFAULT_INTERVAL_SECONDS,
        jitter: DEFAULT_JITTER,
      });
      expect(define({ type: 'hackernews', list: 'new', limit: 30 }).options).to.deep.equal({ limit: 30 });
    });
  });
});

describe('checkUrlAllowed', () => {
  const check = (url: string, allowlist: string[] = []) => checkUrlAllowed(new URL(url), allowlist);

  const refused: Array<[string, string]> = [
    ['http://127.0.0.1/', 'refused to connect to 127.0.0.1: loopback address'],
    ['http://127.1.2.3:8080/feed', 'refused to connect to 127.1.2.3: loopback address'],
    ['http://0x7f.1/', 'refused to connect to 127.0.0.1: loopback address'],
    ['http://2130706433/', 'refused to connect to 127.0.0.1: loopback address'],
    ['http://017700000001/', 'refused to connect to 127.0.0.1: loopback address'],
    ['http://0/', 'refused to connect to 0.0.0.0: unspecified address'],
    ['http://10.1.2.3/', 'refused to connect to 10.1.2.3: private address'],
    ['http://192.168.0.1/', 'refused to connect to 192.168.0.1: private address'],
    ['http://169.254.169.254/latest/meta-data/', 'refused to connect to 169.254.169.254: link-local address'],
    [
      'http://100.100.100.200/',
      'refused to connect to 100.100.100.200: shared address space (CGNAT) address',
    ],
    ['http://[::1]/', 'refused to connect to ::1: loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'refused to connect to ::ffff:7f00:1: loopback address'],
    ['http://[fe80::1]/', 'refused to connect to fe80::1: link-local address'],
    ['http://[fd00:ec2::254]/', 'refused to connect to fd00:ec2::254: private address'],
    ['https://localhost/', 'refused to connect to localhost (127.0.0.1): loopback address'],
    ['http://LOCALHOST.:3000/', 'refused to connect to localhost. (127.0.0.1): loopback address'],
    ['http://api.localhost/', 'refused to connect to api.localhost (127.0.0.1): loopback address'],
    ['http://user:pw@10.0.0.1/', 'refused to connect to 10.0.0.1: private address'],
  ];
  for (const [url, message] of refused) {
    it(`refuses ${url}`, () => {
      const error = refusal(() => check(url));
      expect(error.code).to.equal('url_not_allowed');
      expect(error.message).to.equal(`${message} (COLLECTOR_FETCH_ALLOWLIST can permit it)`);
    });
  }

  it('lets public literal addresses through', () => {
    for (const url of [
      'http://93.184.216.34/',
      'https://[2606:4700:4700::1111]/feed',
      'http://8.8.8.8:8080/',
    ]) {
      expect(() => check(url), url).not.to.throw();
    }
  });

  it('leaves host names to the connector, which checks what they resolve to on every fetch', () => {
    for (const url of [
      'https://example.com/feed',
      'http://metadata.google.internal/',
      'http://localhost.example.com/',
      'http://mylocalhost/',
    ]) {
      expect(() => check(url), url).not.to.throw();
    }
  });

  it('lets allowlisted CIDRs and host names through, and only them', () => {
    expect(() => check('http://127.0.0.1/', ['127.0.0.0/8'])).not.to.throw();
    expect(() => check('http://[::ffff:127.0.0.1]/', ['127.0.0.0/8'])).not.to.throw();
    expect(() => check('http://10.20.30.40/', ['10.20.0.0/16'])).not.to.throw();
    expect(() => check('http://localhost:8080/', ['localhost'])).not.to.throw();
    expect(() => check('http://[::1]/', ['::1'])).not.to.throw();
    expect(refusal(() => check('http://[::1]/', ['127.0.0.0/8'])).code).to.equal('url_not_allowed');
    expect(refusal(() => check('http://10.0.0.1/', ['10.20.0.0/16'])).code).to.equal('url_not_allowed');
    expect(refusal(() => check('http://169.254.169.254/', ['localhost'])).code).to.equal('url_not_allowed');
  });

  it('reports a malformed allowlist as a configuration error, not as the user’s fault', () => {
    expect(() => check('https://example.com/', ['10.0.0.0/33'])).to.throw(TypeError, /allowlist entry/);
  });

  it('refuses an IPv4 literal exactly when the SSRF guard would', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        const blocked = blockedRange(parseIp(address)!);
        let error: unknown;
        try {
          check(`http://${address}/feed`);
        } catch (err) {
          error = err;
        }
        if (blocked === null) expect(error, address).to.equal(undefined);
        else {
          expect(error, address).to.be.instanceOf(InvalidSourceError);
          expect((error as InvalidSourceError).message).to.include(`${blocked} address`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an IPv6 literal exactly when the SSRF guard would', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
        const blocked = blockedRange(parseIp(host)!);
        let error: unknown;
        try {
          check(`http://[${address}]/`);
        } catch (err) {
          error = err;
        }
        if (blocked === null) expect(error, address).to.equal(undefined);
        else expect((error as InvalidSourceError).code, address).to.equal('url_not_allowed');
      }),
      { numRuns: 500 },
    );
  });
});
