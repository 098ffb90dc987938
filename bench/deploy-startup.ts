import { loadServiceConfig } from '../test/deploy/support/config-schemas.js';
import { entrypointArgv } from '../test/deploy/support/dockerfile.js';
import { LocalRun } from '../test/deploy/support/local-env.js';
import { freePort, localArgv, startNode } from '../test/deploy/support/processes.js';
import { runnableServices } from '../test/deploy/support/repo.js';
import { machine } from './machine.js';

/**
 * How long each service's container command takes to come up and to go down, as a plain process
 * with the compose environment moved onto the local servers (what test/deploy/entrypoints runs):
 * milliseconds to /healthz 200 (the liveness and startup probes), to /readyz 200 (traffic, and
 * the figure behind the startupProbe budget), and from SIGTERM to exit. Once with tracing on (as
 * compose configures it; spans go to a closed port) and once with it off, because loading the
 * OpenTelemetry SDK is most of the start-up. The built dist/ files run when fresh, otherwise src/
 * through tsx (reported as `mode`; tsx compiles on the fly, so source figures are upper bounds).
 *
 * Args: [service ...] (default: every runnable service).
 */
export async function run(args: string[]): Promise<void> {
  const services = args.length ? args : runnableServices();
  const info = machine();
  const run = new LocalRun();
  try {
    for (const service of services) {
      const config = await loadServiceConfig(service);
      if (!config) throw new Error(`services/${service} has no config schema`);
      for (const tracing of [true, false]) {
        const port = await freePort();
        const env = run.environment(service, config.known, port);
        if (!tracing) delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
        const { argv, mode } = localArgv(entrypointArgv(service), service);
        const started = performance.now();
        const proc = startNode(argv, { PATH: process.env.PATH, HOME: process.env.HOME, ...env });
        const healthz = await until(() => ok(port, '/healthz'), started, proc.exited);
        const readyz = await until(() => ok(port, '/readyz'), started, proc.exited);
        const stopAt = performance.now();
        proc.child.kill('SIGTERM');
        const finished = await proc.exited;
        console.log(
          JSON.stringify({
            bench: 'deploy-startup',
            service,
            mode,
            tracing,
            healthz_ms: Math.round(healthz),
            readyz_ms: Math.round(readyz),
            sigterm_to_exit_ms: Math.round(performance.now() - stopAt),
            exit_code: finished.code,
            machine: info,
          }),
        );
      }
    }
  } finally {
    await run.cleanup();
  }
}

async function ok(port: number, path: string): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
  return res?.status === 200;
}

/** Milliseconds from `since` until `check` holds; fails if the process exits first or after 120 s. */
async function until(
  check: () => Promise<boolean>,
  since: number,
  exited: Promise<unknown>,
): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await check())) {
    if (gone) throw new Error('the service exited before answering');
    if (performance.now() - since > 120_000) throw new Error('no answer within 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - since;
}
