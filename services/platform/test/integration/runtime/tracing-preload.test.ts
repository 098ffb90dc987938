import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const preload = fileURLToPath(new URL('../../../src/runtime/tracing-preload.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/traced-request.ts', import.meta.url));

/** A stand-in OTLP/HTTP collector: records what is posted to it. */
async function collector(): Promise<{
  server: Server;
  url: string;
  posts: Array<{ path: string; body: string }>;
}> {
  const posts: Array<{ path: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts };
}

function runFixture(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--import', preload, fixture],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('tracing preload (node --import)', function () {
  this.timeout(30_000);

  it('exports spans of instrumented http calls to the OTLP endpoint under the service name', async () => {
    const otlp = await collector();
    try {
      const result = await runFixture({
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        SERVICE_NAME: 'preload-test',
        TARGET_URL: `${otlp.url}/ping`,
      });
      expect(result.code, result.stderr).to.equal(0);
      const exported = otlp.posts.filter((p) => p.path === '/v1/traces');
      expect(exported).to.have.length.greaterThan(0);
      const body = exported.map((p) => p.body).join('\n');
      expect(body).to.include('"stringValue":"preload-test"');
      expect(body).to.match(/"kind":3/); // an http CLIENT span for the request to /ping
    } finally {
      otlp.server.close();
    }
  });

  it('does nothing without an endpoint', async () => {
    const otlp = await collector();
    try {
      const result = await runFixture({ OTEL_EXPORTER_OTLP_ENDPOINT: '', TARGET_URL: `${otlp.url}/ping` });
      expect(result.code, result.stderr).to.equal(0);
      expect(otlp.posts.map((p) => p.path)).to.deep.equal(['/ping']);
    } finally {
      otlp.server.close();
    }
  });
});
