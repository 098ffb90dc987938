import { expect } from 'chai';
import express from 'express';
import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DASHBOARD_DIR, dashboardRouter } from './router.js';

/** A raw GET (fetch would normalise `..` and encoded dots away before sending). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('dashboard router', () => {
  let server: Server;
  let base: string;
  let port: number;

  before(async () => {
    const app = express();
    app.use(dashboardRouter());
    app.use((_req, res) => {
      res.status(404).json({ error: { code: 'not_found', message: 'fell through' } });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => server.close());

  it('serves the page at / with a same-origin policy that allows no inline script', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("default-src 'none'");
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("connect-src 'self'");
    expect(csp).to.include("frame-ancestors 'none'");
    expect(csp).not.to.include('unsafe-inline');
    expect(csp).not.to.include('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(await res.text()).to.include('<script type="module" src="/dashboard/js/main.js">');
  });

  it('serves its modules and stylesheet with their types', async () => {
    const js = await fetch(`${base}/dashboard/js/main.js`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.match(/javascript/);
    expect(js.headers.get('content-security-policy')).to.include("script-src 'self'");
    const css = await fetch(`${base}/dashboard/style.css`);
    expect(css.status).to.equal(200);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
  });

  it('every module the page imports exists (no build step, so a typo is a broken page)', async () => {
    const jsDir = join(DASHBOARD_DIR, 'js');
    for (const file of readdirSync(jsDir)) {
      const source = readFileSync(join(jsDir, file), 'utf8');
      for (const [, target] of source.matchAll(/from '\.\/([\w-]+\.js)'/g)) {
        const res = await fetch(`${base}/dashboard/js/${target}`);
        expect(res.status, `${file} imports ${target}`).to.equal(200);
      }
    }
  });

  it('passes other paths through and serves nothing outside its folder', async () => {
    expect((await fetch(`${base}/api/v1/clusters`)).status).to.equal(404);
    expect((await fetch(`${base}/dashboard/missing.js`)).status).to.equal(404);
    for (const path of [
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/package.json',
      '/dashboard/..%2fpackage.json',
    ]) {
      const res = await rawGet(port, path);
      expect(res.status, path).to.be.oneOf([403, 404]);
      expect(res.body, path).not.to.include('@trendmill/gateway');
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await fetch(`${base}/dashboard/style.css`, { method: 'POST' })).status).to.equal(404);
    expect((await fetch(`${base}/dashboard/style.css`, { method: 'HEAD' })).status).to.equal(200);
  });
});

describe('dashboard scripts insert API text as text', () => {
  // Item titles and snippets come from the open web; markup in them must never be parsed.
  const jsDir = join(DASHBOARD_DIR, 'js');
  const sources = readdirSync(jsDir).map((file) => ({ file, text: readFileSync(join(jsDir, file), 'utf8') }));

  it('no module uses an HTML-parsing sink', () => {
    expect(sources.length).to.be.greaterThan(5);
    for (const { file, text } of sources)
      expect(text, file).not.to.match(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|eval\(|new Function/,
      );
  });

  it('the page has no inline script or style and no third-party origin', () => {
    const html = readFileSync(join(DASHBOARD_DIR, 'index.html'), 'utf8');
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.to.match(/\sstyle=|<style|\son[a-z]+=/i);
    expect(html).not.to.match(/(?:src|href)="(?:https?:)?\/\//);
  });
});
