import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import { loadServiceConfig } from './support/config-schemas.js';
import { entrypointArgv } from './support/dockerfile.js';
import { LocalRun } from './support/local-env.js';
import { freePort, localArgv, startNode } from './support/processes.js';
import { DEPLOYED_SERVICES, runnableServices } from './support/repo.js';

describe('each service container command, run as a plain process with the compose environment', function () {
  this.timeout(180_000);
  const runs: LocalRun[] = [];

  after(async () => {
    for (const run of runs) await run.cleanup();
  });

  for (const service of DEPLOYED_SERVICES) {
    it(`${service}: starts, answers /healthz, and exits 0 on SIGTERM`, async function () {
      const config = await loadServiceConfig(service);
      if (!runnableServices().includes(service) || !config) return this.skip();
      const run = new LocalRun();
      runs.push(run);
      const port = await freePort();
      const env = run.environment(service, config.known, port);
      const { argv, mode } = localArgv(entrypointArgv(service), service);
      // Say which files ran: the built dist/ (exactly the image's command) or src/ through tsx.
      this.test!.title += ` [${mode}]`;
      // Only PATH and HOME from this machine: the service sees what its container would see.
      const proc = startNode(argv, { PATH: process.env.PATH, HOME: process.env.HOME, ...env });
      let exitedEarly: string | undefined;
      void proc.exited.then((f) => (exitedEarly = `exited with ${f.code ?? f.signal}: ${f.output}`));
      try {
        await waitFor(
          async () => {
            if (exitedEarly) throw new Error(`${service} (${mode}) ${exitedEarly}`);
            const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
            return res?.status === 200;
          },
          {
            timeoutMs: 90_000,
            intervalMs: 250,
            what: `${service} /healthz (${mode}); output: ${proc.output()}`,
          },
        );
        const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string };
        expect(body.status).to.equal('alive');
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics, 'metrics carry the service label').to.contain(`service="${service}"`);
        proc.child.kill('SIGTERM');
        const finished = await proc.exited;
        expect(finished.code, `${service} (${mode}) exit; output: ${finished.output}`).to.equal(0);
      } finally {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      }
    });
  }
});
