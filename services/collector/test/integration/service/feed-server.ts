import type { IncomingMessage, ServerResponse } from 'node:http';
import { startServer, type LocalServer } from '../fetch/local-server.js';

export interface FeedEntry {
  guid: string;
  title: string;
  link: string;
  published: string;
  description?: string;
}

/**
 * An RSS 2.0 feed that tests edit: entries, validators (ETag and/or Last-Modified, answered with
 * 304 when the client sends them back unchanged) and failure modes.
 */
export class FeedServer {
  entries: FeedEntry[] = [];
  /** Which validators the server sends. */
  validators: { etag: boolean; lastModified: boolean } = { etag: true, lastModified: true };
  /** When set, every request gets this status (and Retry-After when given). */
  failWith: { status: number; retryAfter?: string } | undefined;
  /** Paths whose requests are left unanswered (a source that hangs) until `releaseHeld()`. */
  readonly held = new Set<string>();
  /** Every answer waits this long, so polls stay in flight long enough to overlap. */
  delayMs = 0;
  private waiting: Array<() => void> = [];
  private version = 1;
  private modifiedAt = new Date('2026-06-01T00:00:00Z');
  server!: LocalServer;

  async start(): Promise<this> {
    this.server = await startServer((req, res) => this.handle(req, res));
    return this;
  }

  url(path = '/feed.xml'): string {
    return `${this.server.origin}${path}`;
  }

  /** Requests received for a path. */
  hits(path = '/feed.xml'): IncomingMessage[] {
    return this.server.requests.filter((r) => r.url === path);
  }

  add(...entries: FeedEntry[]): void {
    this.entries.push(...entries);
    this.version++;
    this.modifiedAt = new Date(this.modifiedAt.getTime() + 60_000);
  }

  /** Requests waiting on a held path. */
  get heldCount(): number {
    return this.waiting.length;
  }

  /** Stops holding every path and answers the requests that were waiting. */
  releaseHeld(): void {
    this.held.clear();
    for (const answer of this.waiting.splice(0)) answer();
  }

  close(): Promise<void> {
    this.waiting.length = 0;
    return this.server.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.held.has(req.url ?? '')) {
      this.waiting.push(() => this.answer(req, res));
      return;
    }
    if (this.delayMs > 0) {
      setTimeout(() => this.answer(req, res), this.delayMs);
      return;
    }
    this.answer(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (res.destroyed || req.socket.destroyed) return; // the client gave up, or the server closed
    if (this.failWith) {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (this.failWith.retryAfter) headers['retry-after'] = this.failWith.retryAfter;
      res.writeHead(this.failWith.status, headers).end('unavailable');
      return;
    }
    const etag = `"v${this.version}"`;
    const lastModified = this.modifiedAt.toUTCString();
    const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8' };
    if (this.validators.etag) headers.etag = etag;
    if (this.validators.lastModified) headers['last-modified'] = lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const unchanged =
      (this.validators.etag && inm !== undefined && inm === etag) ||
      (!inm &&
        this.validators.lastModified &&
        ims !== undefined &&
        Date.parse(ims) >= Date.parse(lastModified));
    if (unchanged) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, headers).end(rss(this.entries));
  }
}

export function entry(n: number, extra: Partial<FeedEntry> = {}): FeedEntry {
  return {
    guid: `urn:test:item-${n}`,
    title: `Item number ${n}`,
    link: `https://example.com/articles/${n}`,
    published: new Date(Date.UTC(2026, 4, 1, 0, n)).toUTCString(),
    description: `<p>The body of item ${n}, with <b>markup</b>.</p>`,
    ...extra,
  };
}

function rss(entries: FeedEntry[]): string {
  const items = entries
    .map(
      (e) =>
        `<item><guid isPermaLink="false">${e.guid}</guid><title>${e.title}</title><link>${e.link}</link>` +
        `<pubDate>${e.published}</pubDate>${e.description ? `<description><![CDATA[${e.description}]]></description>` : ''}</item>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Test feed</title>` +
    `<link>https://example.com/</link><description>t</description>\n${items}\n</channel></rss>`
  );
}
