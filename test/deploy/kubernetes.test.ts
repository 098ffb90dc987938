import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configProblem, loadServiceConfig, variableProblems } from './support/config-schemas.js';
import { unknownFieldProblems } from './support/k8s-fields.js';
import { schemaProblem } from './support/k8s-schemas.js';
import {
  byKind,
  containerEnvironment,
  describe as name,
  render,
  secretValues,
  type ConfigMap,
  type K8sObject,
  type Secret,
  type Workload,
} from './support/kustomize.js';
import { DEPLOYED_SERVICES, isServiceFolder, repoPath, runnableServices } from './support/repo.js';

const OVERLAYS = ['dev', 'prod'] as const;
const PART_OF = 'app.kubernetes.io/part-of';
const NAME = 'app.kubernetes.io/name';
/** Variables that hold credentials by their name. */
const SECRET_NAME = /(TOKEN|PASSWORD|SECRET|_API_KEYS?)$/;

/** Deployments of Trendmill services (the dev overlay's servers are not). */
const serviceDeployments = (objects: K8sObject[]) =>
  byKind<Workload>(objects, 'Deployment').filter((d) => d.metadata.labels?.[PART_OF] === 'trendmill');

interface ScaledObject extends K8sObject {
  spec: {
    scaleTargetRef: { name: string };
    minReplicaCount: number;
    maxReplicaCount: number;
    triggers: Array<{ type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }>;
  };
}
interface Autoscaler extends K8sObject {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
}

describe('k8s/ kustomize overlays', function () {
  this.timeout(120_000);

  it('the schema check itself rejects wrong types, missing CRD fields and unknown kinds', async () => {
    const meta = { name: 'x' };
    const badPort = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        selector: {},
        template: { spec: { containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 'http' }] }] } },
      },
    };
    expect(await schemaProblem(badPort)).to.match(/containerPort must be integer/);
    const noTarget = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: meta,
      spec: { triggers: [] },
    };
    expect(await schemaProblem(noTarget)).to.match(/scaleTargetRef/);
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: meta,
      spec: {},
    };
    expect(await schemaProblem(monitor)).to.match(/selector/);
    expect(await schemaProblem({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta })).to.match(
      /no schema/,
    );
  });

  for (const overlay of OVERLAYS) {
    describe(`overlay ${overlay}`, () => {
      it('renders with `kubectl kustomize`', () => {
        expect(render(`overlays/${overlay}`).length).to.be.greaterThan(30);
      });

      it('every rendered object validates against its Kubernetes or CRD schema', async () => {
        const problems: string[] = [];
        for (const object of render(`overlays/${overlay}`)) {
          const problem = await schemaProblem(object);
          if (problem) problems.push(`${name(object)}: ${problem}`);
        }
        expect(problems).to.deep.equal([]);
      });

      it('runs every deployable service as a Deployment with a Service, ConfigMap and PodDisruptionBudget', () => {
        const objects = render(`overlays/${overlay}`);
        const deployments = serviceDeployments(objects).map((d) => d.metadata.name);
        expect([...deployments].sort()).to.deep.equal([...DEPLOYED_SERVICES].sort());
        for (const runnable of runnableServices()) expect(deployments).to.include(runnable);
        for (const service of deployments) {
          expect(isServiceFolder(service), `services/${service}`).to.equal(true);
          const names = (kind: string) => byKind(objects, kind).map((o) => o.metadata.name);
          expect(names('Service'), 'Service').to.include(service);
          expect(names('PodDisruptionBudget'), 'PodDisruptionBudget').to.include(service);
          expect(
            names('ConfigMap').some((n) => n.startsWith(`trendmill-${service}-`)),
            'ConfigMap',
          ).to.equal(true);
        }
      });

      it('probes /healthz and /readyz, sets resources and runs as non-root with a read-only root', () => {
        for (const deployment of serviceDeployments(render(`overlays/${overlay}`))) {
          const pod = deployment.spec.template.spec;
          const [container] = pod.containers;
          const what = deployment.metadata.name;
          expect(pod.containers, what).to.have.length(1);
          expect(container!.image, what).to.match(new RegExp(`^trendmill/${what}:`));
          expect(container!.livenessProbe?.httpGet?.path, what).to.equal('/healthz');
          expect(container!.startupProbe?.httpGet?.path, what).to.equal('/healthz');
          expect(container!.readinessProbe?.httpGet?.path, what).to.equal('/readyz');
          expect(container!.resources?.requests?.cpu, what).to.be.a('string');
          expect(container!.resources?.requests?.memory, what).to.be.a('string');
          expect(container!.resources?.limits?.memory, what).to.be.a('string');
          expect(pod.securityContext?.runAsNonRoot, what).to.equal(true);
          expect(pod.securityContext?.runAsUser, what).to.be.greaterThan(0);
          expect(container!.securityContext?.allowPrivilegeEscalation, what).to.equal(false);
          expect(container!.securityContext?.readOnlyRootFilesystem, what).to.equal(true);
          expect(container!.securityContext?.capabilities?.drop, what).to.deep.equal(['ALL']);
        }
      });

      describe('environment of each service, checked against its config schema', () => {
        for (const service of DEPLOYED_SERVICES) {
          it(`${service}: every required variable, nothing unknown, secrets by reference, values it accepts`, async function () {
            const config = await loadServiceConfig(service);
            if (!config) return this.skip();
            const objects = render(`overlays/${overlay}`);
            const deployment = serviceDeployments(objects).find((d) => d.metadata.name === service);
            expect(deployment, `Deployment ${service}`).to.not.equal(undefined);
            const container = deployment!.spec.template.spec.containers[0]!;
            const env = containerEnvironment(container, objects);
            expect(env.problems).to.deep.equal([]);
            expect(variableProblems(config, env.names)).to.deep.equal([]);
            // Credentials never sit in a ConfigMap or a literal.
            const secrets = [...env.names].filter(
              (n) => ['DATABASE_URL', 'BROKER_URL', 'REDIS_URL'].includes(n) || SECRET_NAME.test(n),
            );
            for (const secret of secrets) {
              const source = container.env?.find((e) => e.name === secret);
              expect(source?.valueFrom?.secretKeyRef, `${service} ${secret} from a Secret`).to.be.an(
                'object',
              );
            }
            // The port the probes and the Service use is the one the service listens on.
            const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
            expect(env.values.HTTP_PORT, `${service} HTTP_PORT`).to.equal(String(port));
            expect(env.values.SERVICE_NAME).to.equal(service);
            if (overlay === 'dev') {
              // Everything is rendered in dev (the Secret too): the service must accept it as a whole.
              expect(configProblem(config, env.values)).to.equal(undefined);
            } else {
              for (const [key, value] of Object.entries(env.values)) {
                const ok = config.schema.shape[key]?.safeParse(value === '' ? undefined : value).success;
                expect(ok, `${service} ${key}=${JSON.stringify(value)}`).to.equal(true);
              }
            }
          });
        }
      });

      it('scales the normalizer and embedder with KEDA on their RabbitMQ queue, the others with an HPA', () => {
        const objects = render(`overlays/${overlay}`);
        const scaled = byKind<ScaledObject>(objects, 'ScaledObject');
        const hpas = byKind<Autoscaler>(objects, 'HorizontalPodAutoscaler');
        expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).to.deep.equal([
          'embedder',
          'normalizer',
        ]);
        for (const object of scaled) {
          const target = object.spec.scaleTargetRef.name;
          const rabbit = object.spec.triggers.find((t) => t.type === 'rabbitmq');
          expect(rabbit?.metadata.queueName, target).to.equal(`trendmill.${target}`);
          expect(rabbit?.metadata.mode).to.equal('QueueLength');
          const auth = byKind<
            K8sObject & { spec: { secretTargetRef: Array<{ parameter: string; name: string; key: string }> } }
          >(objects, 'TriggerAuthentication').find(
            (t) => t.metadata.name === rabbit?.authenticationRef?.name,
          );
          expect(auth, `${target} TriggerAuthentication`).to.not.equal(undefined);
          expect(auth!.spec.secretTargetRef.map((r) => r.parameter)).to.include('host');
          // In dev the Secret is rendered: the key KEDA reads must be in it.
          const secrets = byKind<Secret>(objects, 'Secret');
          for (const ref of auth!.spec.secretTargetRef) {
            const secret = secrets.find((s) => s.metadata.name === ref.name);
            if (overlay === 'dev')
              expect(secret && secretValues(secret)[ref.key], `${ref.name}.${ref.key}`).to.match(
                /^amqp:\/\//,
              );
          }
          expect(object.spec.maxReplicaCount).to.be.at.least(object.spec.minReplicaCount);
        }
        // A plain HPA next to a ScaledObject would fight over the same Deployment; the active/standby
        // clusterer does not scale at all.
        expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).to.deep.equal([
          'collector',
          'gateway',
          'query',
        ]);
        for (const hpa of hpas) expect(hpa.spec.maxReplicas).to.be.at.least(hpa.spec.minReplicas);
      });

      it('runs the clusterer active/standby: replicas compete for the lock, rollouts hand over', () => {
        const objects = render(`overlays/${overlay}`);
        const clusterer = serviceDeployments(objects).find((d) => d.metadata.name === 'clusterer')!;
        // A standby is ready (its /readyz names its role): surge a new one before the old goes.
        expect(clusterer.spec.strategy).to.deep.equal({
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
        });
        expect(clusterer.spec.replicas).to.equal(overlay === 'prod' ? 2 : 1);
        const pdb = byKind<K8sObject & { spec: Record<string, unknown> }>(
          objects,
          'PodDisruptionBudget',
        ).find((p) => p.metadata.name === 'clusterer');
        expect(pdb?.spec.unhealthyPodEvictionPolicy).to.equal('AlwaysAllow');
      });

      it('has a migration Job that runs the migration tool with the database secret', () => {
        const [job] = byKind<
          K8sObject & { spec: { template: { spec: Workload['spec']['template']['spec'] } } }
        >(render(`overlays/${overlay}`), 'Job');
        const container = job!.spec.template.spec.containers[0]!;
        expect(container.command).to.deep.equal(['node', 'deploy/tools/migrate.mjs']);
        expect(container.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.key).to.equal(
          'DATABASE_URL',
        );
      });

      it('monitors every service: the ServiceMonitor selects their Services by a label and port they all have', () => {
        const objects = render(`overlays/${overlay}`);
        const [monitor] = byKind<
          K8sObject & {
            spec: {
              selector: { matchLabels: Record<string, string> };
              endpoints: Array<{ port: string; path: string; honorLabels?: boolean }>;
            };
          }
        >(objects, 'ServiceMonitor');
        const services = byKind<K8sObject & { spec: { ports: Array<{ name: string }> } }>(
          objects,
          'Service',
        ).filter((s) => (DEPLOYED_SERVICES as readonly string[]).includes(s.metadata.labels?.[NAME] ?? ''));
        expect(services).to.have.length(DEPLOYED_SERVICES.length);
        for (const service of services) {
          for (const [key, value] of Object.entries(monitor!.spec.selector.matchLabels)) {
            expect(service.metadata.labels?.[key], `${service.metadata.name} ${key}`).to.equal(value);
          }
          expect(service.spec.ports.map((p) => p.name)).to.include(monitor!.spec.endpoints[0]!.port);
        }
        expect(monitor!.spec.endpoints[0]!.path).to.equal('/metrics');
        expect(monitor!.spec.endpoints[0]!.honorLabels).to.equal(true);
      });

      it('carries the same alert rules as deploy/prometheus/alerts.yml', () => {
        const [rule] = byKind<K8sObject & { spec: unknown }>(render(`overlays/${overlay}`), 'PrometheusRule');
        const fileRules = parse(
          readFileSync(repoPath('deploy', 'prometheus', 'alerts.yml'), 'utf8'),
        ) as unknown;
        expect(rule!.spec).to.deep.equal(fileRules);
      });
    });
  }

  it('no object in either overlay has a field its schema does not define (strict field validation)', () => {
    const objects = OVERLAYS.flatMap((overlay) => render(`overlays/${overlay}`));
    // One planted typo proves the check sees nested fields; it must be the only problem reported.
    const planted = structuredClone(serviceDeployments(objects)[0]!);
    planted.metadata.name = 'planted-typo';
    const container = planted.spec.template.spec.containers[0]! as unknown as Record<string, unknown>;
    container.readinessprobe = container.readinessProbe;
    expect(unknownFieldProblems([...objects, planted])).to.deep.equal([
      `Deployment/planted-typo: Object literal may only specify known properties, and '"readinessprobe"' does not exist in type 'IContainer'.`,
    ]);
  });

  it('dev generates the Secret the services reference; prod expects it from outside and adds an Ingress', () => {
    const dev = render('overlays/dev');
    const prod = render('overlays/prod');
    expect(byKind(dev, 'Secret').map((s) => s.metadata.name)).to.include('trendmill-secrets');
    expect(byKind(prod, 'Secret')).to.deep.equal([]);
    const ingress = byKind<
      K8sObject & {
        spec: {
          tls: unknown[];
          rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }>;
        };
      }
    >(prod, 'Ingress');
    expect(ingress).to.have.length(1);
    expect(ingress[0]!.spec.tls).to.have.length(1);
    expect(
      ingress[0]!.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name)),
    ).to.deep.equal(['gateway']);
    expect(byKind(dev, 'Ingress')).to.deep.equal([]);
    for (const [objects, namespace] of [
      [dev, 'trendmill-dev'],
      [prod, 'trendmill'],
    ] as const) {
      for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
        expect(object.metadata.namespace, name(object)).to.equal(namespace);
      }
    }
  });

  it('ConfigMaps hold no credentials', () => {
    for (const overlay of OVERLAYS) {
      for (const configMap of byKind<ConfigMap>(render(`overlays/${overlay}`), 'ConfigMap')) {
        for (const [key, value] of Object.entries(configMap.data ?? {})) {
          expect(key, `${configMap.metadata.name}`).to.not.match(SECRET_NAME);
          expect(value, `${configMap.metadata.name} ${key}`).to.not.match(/:\/\/[^/\s:@]+:[^@\s]+@/);
        }
      }
    }
  });
});
