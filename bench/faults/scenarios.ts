import type { ServiceName, Topology } from '../../test/support/topology.js';
import type { EmbeddingServer } from './embedding-server.js';
import { restartPostgres, restartRabbitMq, stopRedis } from './infra.js';

export interface FaultContext {
  topology: Topology;
  embedding: EmbeddingServer;
  progress: (message: string) => void;
}

export interface Scenario {
  name: string;
  /** Injects the fault and undoes it; resolves with the moment the fault ended (Date.now()). */
  inject(ctx: FaultContext): Promise<number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KILLED: ServiceName[] = ['collector', 'normalizer', 'embedder', 'clusterer', 'query', 'gateway'];

/** One scenario per fault of issue #8, in the order they run. */
export const SCENARIOS: Scenario[] = [
  ...KILLED.map((service): Scenario => ({
    name: `kill-${service}`,
    async inject({ topology, progress }) {
      progress(`kill -9 ${service}`);
      await topology.kill(service, 0, 'SIGKILL');
      await sleep(2_000);
      const end = Date.now();
      // Only the killed process is restarted, as an orchestrator would.
      await topology.launch(service, 0);
      return end;
    },
  })),
  {
    name: 'restart-rabbitmq',
    async inject({ progress }) {
      progress('rabbitmqctl stop_app; 5 s; start_app');
      await restartRabbitMq(5_000);
      return Date.now();
    },
  },
  {
    name: 'restart-postgres',
    async inject({ progress }) {
      progress('pg_ctlcluster restart');
      await restartPostgres();
      return Date.now();
    },
  },
  {
    name: 'stop-redis',
    async inject({ progress }) {
      progress('redis shutdown; 10 s; redis-server');
      await stopRedis(10_000);
      return Date.now();
    },
  },
  {
    name: 'embedding-provider-down',
    async inject({ embedding, progress }) {
      progress('embedding endpoint answers 503 for 15 s');
      embedding.failing = true;
      try {
        await sleep(15_000);
      } finally {
        embedding.failing = false;
      }
      progress(`embedding endpoint back (${embedding.failed} requests refused)`);
      return Date.now();
    },
  },
];
