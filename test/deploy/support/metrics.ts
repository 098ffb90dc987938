import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { repoPath } from './repo.js';

/** Series other exporters in the deployment provide (RabbitMQ's built-in exporter, Prometheus itself). */
export const INFRASTRUCTURE_METRICS = [
  'up',
  'rabbitmq_queue_messages',
  'rabbitmq_queue_messages_ready',
  'rabbitmq_queue_messages_unacked',
  'rabbitmq_queue_messages_acked_total',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.includes('/generated/') && !f.includes('/node_modules/'));
}

/** Metric names registered in services' sources (`name: 'trendmill_…'`), with where each is defined. */
export function serviceMetricNames(): Map<string, string> {
  const names = new Map<string, string>();
  const services = readdirSync(repoPath('services'));
  for (const service of services) {
    let files: string[];
    try {
      files = sourceFiles(repoPath('services', service, 'src'));
    } catch {
      continue;
    }
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/name:\s*['"`](trendmill_[a-z0-9_]+)['"`]/g)) {
        names.set(match[1]!, file);
      }
    }
  }
  return names;
}

/** prom-client's default process metrics, which every service registers (processRegistry). */
export async function defaultMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  return new Set(metrics.map((m) => m.name));
}

/** A histogram or summary series name → the metric that defines it. */
export function baseMetricName(series: string): string {
  return series.replace(/_(bucket|sum|count)$/, '');
}

/**
 * Parses PromQL and returns the metric names its selectors use, or the offset of the first syntax
 * error. Grafana's `$__rate_interval` and friends are replaced by a plain duration first.
 */
export function promqlMetricNames(expr: string): { names: string[]; error?: string } {
  const query = expr.replace(/\$__(rate_)?interval|\$__range/g, '5m');
  const names: string[] = [];
  let error: string | undefined;
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        error ??= `syntax error at ${node.from}: …${query.slice(Math.max(0, node.from - 20), node.from + 20)}…`;
        return;
      }
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(query.slice(node.from, node.to));
      }
    },
  });
  return error ? { names, error } : { names };
}
