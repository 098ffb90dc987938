import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { composeConfig, environmentOf, resolvedCompose, type ComposeService } from './support/compose.js';
import { configProblem, loadServiceConfig, variableProblems } from './support/config-schemas.js';
import { DEPLOYED_SERVICES, isServiceFolder, repoPath, runnableServices } from './support/repo.js';

const INFRASTRUCTURE = ['postgres', 'redis', 'rabbitmq', 'qdrant', 'kafka'];
const OBSERVABILITY = ['prometheus', 'grafana', 'jaeger'];

/** Compose services built from the Trendmill Dockerfile, by the SERVICE they start. */
function trendmillServices(): Map<string, ComposeService> {
  const found = new Map<string, ComposeService>();
  for (const [name, service] of Object.entries(resolvedCompose().services)) {
    const target = service.build?.args?.SERVICE;
    if (target && name !== 'migrate') found.set(name, service);
  }
  return found;
}

describe('docker-compose.yml', function () {
  this.timeout(60_000);

  it('is valid for docker-compose (`docker-compose config -q`), with and without the kafka profile', () => {
    for (const args of [[], ['--profile', 'kafka']]) {
      const res = composeConfig([...args]);
      expect(res.status, res.stderr).to.equal(0);
    }
    const quiet = composeConfig(['--profile', 'kafka']);
    expect(quiet.stdout).to.contain('services:');
  });

  it('keeps the infrastructure servers and adds Prometheus, Grafana and Jaeger', () => {
    const services = resolvedCompose().services;
    for (const name of [...INFRASTRUCTURE, ...OBSERVABILITY]) expect(services, name).to.have.property(name);
    expect(services.kafka!.profiles).to.deep.equal(['kafka']);
  });

  it('runs every deployable service, each built from the Dockerfile with SERVICE = its own name', () => {
    const services = trendmillServices();
    expect([...services.keys()].sort()).to.deep.equal([...DEPLOYED_SERVICES].sort());
    for (const [name, service] of services) {
      expect(service.build?.args?.SERVICE, name).to.equal(name);
      expect(service.build?.context, name).to.equal(repoPath());
      expect(isServiceFolder(name), `services/${name} exists`).to.equal(true);
    }
    // A service someone adds later must not be forgotten here.
    for (const runnable of runnableServices()) expect([...services.keys()], runnable).to.include(runnable);
  });

  it('gives each service a health check, a restart policy, resource limits and health-gated dependencies', () => {
    for (const [name, service] of Object.entries(resolvedCompose().services)) {
      if (name === 'migrate') {
        expect(service.restart).to.equal('no');
        continue;
      }
      expect(service.healthcheck, `${name} healthcheck`).to.be.an('object');
      expect(service.restart, `${name} restart`).to.equal('unless-stopped');
      expect(service.deploy?.resources?.limits?.memory, `${name} memory limit`).to.be.a('string');
      expect(Number(service.deploy?.resources?.limits?.cpus), `${name} cpu limit`).to.be.greaterThan(0);
    }
    for (const [name, service] of trendmillServices()) {
      const deps = service.depends_on ?? {};
      for (const server of ['postgres', 'rabbitmq', 'redis']) {
        expect(deps[server]?.condition, `${name} waits for ${server}`).to.equal('service_healthy');
      }
      expect(deps.migrate?.condition, `${name} waits for migrations`).to.equal(
        'service_completed_successfully',
      );
      expect(service.read_only, `${name} read-only root filesystem`).to.equal(true);
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(resolvedCompose().services)) {
      for (const port of service.ports ?? []) {
        const hostIp = typeof port === 'string' ? port.split(':')[0] : port.host_ip;
        expect(hostIp, `${name} port ${JSON.stringify(port)}`).to.equal('127.0.0.1');
      }
    }
  });

  describe('environment of each service, checked against its config schema', () => {
    for (const name of DEPLOYED_SERVICES) {
      it(`${name}: every required variable, nothing unknown, and values the service accepts`, async function () {
        const config = await loadServiceConfig(name);
        // Honest skip while the service is still being written: counted as skipped, by name.
        if (!config) return this.skip();
        const service = trendmillServices().get(name);
        expect(service, `compose service ${name}`).to.not.equal(undefined);
        const env = environmentOf(service!);
        expect(variableProblems(config, Object.keys(env))).to.deep.equal([]);
        expect(configProblem(config, env)).to.equal(undefined);
        expect(env.SERVICE_NAME).to.equal(name);
        // The health check, Prometheus and the gateway's port mapping assume the same port.
        expect(env.HTTP_PORT).to.equal('8080');
      });
    }
  });

  it('the migrate job runs the migration tool from a service image before the services start', () => {
    const migrate = resolvedCompose().services.migrate!;
    expect(migrate.entrypoint).to.deep.equal(['node', 'deploy/tools/migrate.mjs']);
    expect(migrate.environment?.DATABASE_URL).to.match(/^postgres:\/\//);
    expect(migrate.depends_on?.postgres?.condition).to.equal('service_healthy');
  });

  it('Prometheus scrapes every Trendmill service on its HTTP_PORT and RabbitMQ per queue', () => {
    const prometheus = parse(readFileSync(repoPath('deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{
        job_name: string;
        metrics_path?: string;
        static_configs: Array<{ targets: string[] }>;
      }>;
    };
    const targets = (job: string) =>
      prometheus.scrape_configs.find((c) => c.job_name === job)?.static_configs.flatMap((s) => s.targets) ??
      [];
    const ports = new Map([...trendmillServices()].map(([name, s]) => [name, environmentOf(s).HTTP_PORT]));
    expect(targets('trendmill').sort()).to.deep.equal(
      [...ports].map(([name, port]) => `${name}:${port}`).sort(),
    );
    expect(targets('rabbitmq')).to.deep.equal(['rabbitmq:15692']);
    expect(prometheus.scrape_configs.find((c) => c.job_name === 'rabbitmq')?.metrics_path).to.equal(
      '/metrics/per-object',
    );
    expect(prometheus.rule_files).to.deep.equal(['/etc/prometheus/alerts.yml']);
  });
});
