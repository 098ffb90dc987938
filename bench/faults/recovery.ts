import { randomUUID } from 'node:crypto';
import type { Topology } from '../../test/support/topology.js';
import { queueTotals } from './accounting.js';
import { call, type Gateway } from './gateway-client.js';

/**
 * Seconds from the fault's end until every process answers /readyz 200 again and a fresh probe
 * item pushed through the gateway is queryable through it. Nothing is restarted here: the
 * system must come back by itself. Undefined when it did not within `timeoutMs`.
 */
export async function measureRecovery(
  topology: Topology,
  gw: Gateway,
  faultEnd: number,
  timeoutMs: number,
  progress: (message: string) => void,
): Promise<{
  seconds: number | undefined;
  readySeconds?: number;
  probeId: string | undefined;
  why?: string;
}> {
  const deadline = faultEnd + timeoutMs;
  for (const proc of topology.processes) {
    for (;;) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null)
        return { seconds: undefined, probeId: undefined, why: `${proc.service} exited` };
      const res = await fetch(`http://127.0.0.1:${proc.port}/readyz`, {
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() > deadline)
        return { seconds: undefined, probeId: undefined, why: `${proc.service} not ready` };
      await sleep(250);
    }
  }
  const readySeconds = (Date.now() - faultEnd) / 1000;
  const probe = {
    externalId: `probe-${randomUUID()}`,
    title: `Fault probe ${randomUUID()}: is the pipeline flowing again after the fault?`,
  };
  let probeId: string | undefined;
  while (!probeId) {
    const res = await call<{ itemId?: string }>(gw, '/ingest?source=faults-probe', {
      method: 'POST',
      body: JSON.stringify(probe),
    });
    probeId = res.status < 300 ? res.body?.itemId : undefined;
    if (!probeId && Date.now() > deadline)
      return { seconds: undefined, probeId: undefined, why: 'ingest refused the probe' };
    if (!probeId) await sleep(500);
  }
  let lastReport = Date.now();
  for (;;) {
    const res = await call(gw, `/items/${encodeURIComponent(probeId)}`);
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      progress(`probe not queryable yet; queues ${(await queueTotals(gw)).byGroup || 'empty'}`);
    }
    if (res.status === 200) return { seconds: (Date.now() - faultEnd) / 1000, readySeconds, probeId };
    if (Date.now() > deadline)
      return { seconds: undefined, readySeconds, probeId, why: 'probe never queryable' };
    await sleep(250);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
