import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  INFRASTRUCTURE_METRICS,
  baseMetricName,
  defaultMetricNames,
  promqlMetricNames,
  serviceMetricNames,
} from './support/metrics.js';
import { repoPath } from './support/repo.js';

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string; refId: string }>;
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
}
interface AlertRules {
  groups: Array<{
    name: string;
    rules: Array<{
      alert: string;
      expr: string;
      for?: string;
      labels?: { severity?: string };
      annotations?: { summary?: string };
    }>;
  }>;
}

const dashboardFile = repoPath('deploy', 'grafana', 'dashboards', 'trendmill.json');
const readDashboard = () => JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
const readAlerts = () =>
  parse(readFileSync(repoPath('deploy', 'prometheus', 'alerts.yml'), 'utf8')) as AlertRules;
const queries = (dashboard: Dashboard) =>
  dashboard.panels
    .flatMap((p) => [p, ...(p.panels ?? [])])
    .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** Every metric name a query may use: defined by a service, by prom-client's defaults, or by the infrastructure. */
async function knownMetrics(): Promise<Set<string>> {
  return new Set([
    ...serviceMetricNames().keys(),
    ...(await defaultMetricNames()),
    ...INFRASTRUCTURE_METRICS,
  ]);
}

function unknownMetricsIn(exprs: Array<{ where: string; expr: string }>, known: Set<string>): string[] {
  const problems: string[] = [];
  for (const { where, expr } of exprs) {
    const parsed = promqlMetricNames(expr);
    if (parsed.error) problems.push(`${where}: ${parsed.error}`);
    for (const metric of parsed.names) {
      if (!known.has(metric) && !known.has(baseMetricName(metric)))
        problems.push(`${where}: unknown metric ${metric}`);
    }
    if (parsed.names.length === 0) problems.push(`${where}: selects no metric`);
  }
  return problems;
}

describe('observability: Grafana dashboard and Prometheus alert rules', function () {
  this.timeout(30_000);

  it('the metric-name check sees through histograms and flags names nobody defines', async () => {
    const known = await knownMetrics();
    expect(known.has('trendmill_handler_duration_seconds'), 'platform metric found in sources').to.equal(
      true,
    );
    expect(known.has('trendmill_embedder_cache_hit_ratio'), 'embedder metric found in sources').to.equal(
      true,
    );
    expect(known.has('process_resident_memory_bytes'), 'prom-client default').to.equal(true);
    const bad = unknownMetricsIn(
      [
        { where: 'a', expr: 'rate(trendmill_handler_duration_seconds_bucket[5m])' },
        { where: 'b', expr: 'sum(rate(trendmill_no_such_metric_total[5m]))' },
        { where: 'c', expr: 'sum(rate(up[5m])' },
      ],
      known,
    );
    expect(bad).to.have.length(2);
    expect(bad[0]).to.contain('trendmill_no_such_metric_total');
    expect(bad[1]).to.match(/^c: syntax error/);
  });

  it('the dashboard is valid JSON with the panels operators need', () => {
    const dashboard = readDashboard();
    expect(dashboard.uid).to.equal('trendmill-overview');
    const exprs = queries(dashboard)
      .map((q) => q.expr)
      .join('\n');
    for (const metric of [
      'trendmill_messages_consumed_total',
      'trendmill_messages_published_total',
      'rabbitmq_queue_messages_ready',
      'trendmill_messages_dead_lettered_total',
      'trendmill_handler_duration_seconds_bucket',
      'trendmill_embedder_cache_hit_ratio',
      'trendmill.cluster.created.v1',
      'trendmill_gateway_request_seconds_bucket',
      'trendmill_gateway_requests_total{status=~"5..',
    ]) {
      expect(exprs, metric).to.contain(metric);
    }
  });

  it('every dashboard query parses as PromQL and uses only metrics that exist', async () => {
    const dashboard = readDashboard();
    const exprs = queries(dashboard).map((q) => ({ where: q.panel, expr: q.expr }));
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      const inner = /label_values\((.+),\s*\w+\)/.exec(variable.definition ?? '')?.[1];
      expect(inner, `variable ${variable.name}`).to.be.a('string');
      exprs.push({ where: `variable ${variable.name}`, expr: inner! });
    }
    expect(exprs.length).to.be.greaterThan(10);
    expect(unknownMetricsIn(exprs, await knownMetrics())).to.deep.equal([]);
  });

  it('every panel uses the provisioned Prometheus datasource (through the dashboard variable)', () => {
    const dashboard = readDashboard();
    const datasourceVar = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(datasourceVar?.name).to.equal('datasource');
    const provisioned = parse(
      readFileSync(repoPath('deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string; type: string; url: string }> };
    const prometheus = provisioned.datasources.find((d) => d.type === 'prometheus');
    expect(prometheus?.uid).to.equal((datasourceVar as { current?: { value?: string } }).current?.value);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).to.equal('${datasource}');
    }
    const provider = parse(
      readFileSync(repoPath('deploy', 'grafana', 'provisioning', 'dashboards', 'trendmill.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(provider.providers[0]!.options.path).to.equal('/var/lib/grafana/dashboards');
  });

  it('alert rules parse, use only metrics that exist, and cover DLQ growth, backlog, breaker and API errors', async () => {
    const rules = readAlerts().groups.flatMap((g) => g.rules);
    const problems = unknownMetricsIn(
      rules.map((r) => ({ where: r.alert, expr: r.expr })),
      await knownMetrics(),
    );
    expect(problems).to.deep.equal([]);
    for (const rule of rules) {
      expect(rule.alert, 'alert name').to.match(/^Trendmill[A-Za-z]+$/);
      expect(rule.labels?.severity, rule.alert).to.be.oneOf(['warning', 'critical']);
      expect(rule.annotations?.summary, rule.alert).to.be.a('string');
      expect(rule.for, rule.alert).to.match(/^\d+[smh]$/);
    }
    const byMetric = (metric: string) => rules.filter((r) => r.expr.includes(metric)).map((r) => r.alert);
    expect(byMetric('trendmill_messages_dead_lettered_total')).to.have.length.greaterThan(0);
    expect(byMetric('rabbitmq_queue_messages_ready')).to.have.length.greaterThan(0);
    expect(rules.find((r) => r.expr.includes('trendmill_embedder_provider_breaker_state'))?.expr).to.match(
      /== 2$/,
    );
    expect(byMetric('trendmill_gateway_requests_total')).to.have.length.greaterThan(0);
    expect(byMetric('trendmill_clusterer_active')).to.have.length.greaterThan(0);
  });
});
