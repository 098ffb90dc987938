import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import { loadServiceConfig } from './support/config-schemas.js';
import { entrypointArgv } from './support/dockerfile.js';
import { LocalRun } from './support/local-env.js';
import { freePort, localArgv, startNode } from './support/processes.js';
import { runnableServices } from './support/repo.js';

interface Ready {
  status: string;
  role?: string;
}

async function readiness(port: number): Promise<Ready | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
  return res?.status === 200 ? ((await res.json()) as Ready) : undefined;
}

async function activeGauge(port: number): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = /^trendmill_clusterer_active(?:\{[^}]*\})? (\d+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * What k8s/base/clusterer assumes: of two replicas on one schema exactly one is active, the
 * standby is ready too and says so (so a surge-first rolling update does not stall), and when the
 * active one stops the standby takes over.
 */
describe('clusterer active/standby, two container commands on one schema (the k8s rollout design)', function () {
  this.timeout(240_000);
  const run = new LocalRun();
  const procs: Array<ReturnType<typeof startNode>> = [];

  after(async () => {
    for (const p of procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await run.cleanup();
  });

  it('one active, one ready standby; the standby takes over when the active stops; both exit 0', async function () {
    const config = await loadServiceConfig('clusterer');
    if (!runnableServices().includes('clusterer') || !config) return this.skip();
    const { argv, mode } = localArgv(entrypointArgv('clusterer'), 'clusterer');
    this.test!.title += ` [${mode}]`;
    const [firstPort, secondPort] = [await freePort(), await freePort()];
    const env = run.environment('clusterer', config.known, firstPort);
    const start = (port: number) => {
      const proc = startNode(argv, {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        HTTP_PORT: String(port),
      });
      procs.push(proc);
      return proc;
    };
    const roleOf = async (port: number) => (await readiness(port))?.role;

    const first = start(firstPort);
    await waitFor(async () => (await roleOf(firstPort)) === 'active', {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: `first clusterer active; output: ${first.output()}`,
    });
    const second = start(secondPort);
    await waitFor(async () => (await roleOf(secondPort)) === 'standby', {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: `second clusterer ready as standby; output: ${second.output()}`,
    });
    expect(await roleOf(firstPort)).to.equal('active');
    expect([await activeGauge(firstPort), await activeGauge(secondPort)]).to.deep.equal([1, 0]);

    first.child.kill('SIGTERM');
    expect((await first.exited).code, first.output()).to.equal(0);
    await waitFor(async () => (await roleOf(secondPort)) === 'active', {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `standby took over; output: ${second.output()}`,
    });
    expect(await activeGauge(secondPort)).to.equal(1);

    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).to.equal(0);
  });
});
