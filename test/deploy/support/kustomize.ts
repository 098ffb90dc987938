import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { repoPath, requireTool } from './repo.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const rendered = new Map<string, K8sObject[]>();

/** `kubectl kustomize k8s/<dir>` (kubectl's built-in kustomize), parsed into objects. */
export function render(dir: string): K8sObject[] {
  const hit = rendered.get(dir);
  if (hit) return hit;
  requireTool('kubectl');
  const res = spawnSync('kubectl', ['kustomize', repoPath('k8s', dir)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (res.status !== 0) throw new Error(`kubectl kustomize k8s/${dir} failed: ${res.stderr}`);
  const objects = parseAllDocuments(res.stdout).map((doc) => {
    if (doc.errors.length)
      throw new Error(`kustomize output of k8s/${dir} is not valid YAML: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  });
  rendered.set(dir, objects);
  return objects;
}

export const describe = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

export function byKind<T = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: unknown;
    };
  }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  command?: string[];
  args?: string[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}

export interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  serviceAccountName?: string;
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    strategy?: {
      type: string;
      rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
    };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

export interface Secret extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export function secretValues(secret: Secret): Record<string, string> {
  const values: Record<string, string> = { ...secret.stringData };
  for (const [key, value] of Object.entries(secret.data ?? {}))
    values[key] = Buffer.from(value, 'base64').toString('utf8');
  return values;
}

/** The environment a container gets: names, and the values that are known from the render. */
export function containerEnvironment(
  container: Container,
  objects: K8sObject[],
): { names: Set<string>; values: Record<string, string>; problems: string[] } {
  const configMaps = new Map(byKind<ConfigMap>(objects, 'ConfigMap').map((c) => [c.metadata.name, c]));
  const secrets = new Map(byKind<Secret>(objects, 'Secret').map((s) => [s.metadata.name, s]));
  const names = new Set<string>();
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    if (source.secretRef)
      problems.push(
        `${container.name}: envFrom secretRef ${source.secretRef.name} hides which secrets it reads`,
      );
    const ref = source.configMapRef?.name;
    if (!ref) continue;
    const configMap = configMaps.get(ref);
    if (!configMap) {
      problems.push(`${container.name}: envFrom names ConfigMap ${ref}, which the overlay does not render`);
      continue;
    }
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      names.add(key);
      values[key] = value;
    }
  }
  for (const variable of container.env ?? []) {
    names.add(variable.name);
    if (variable.value !== undefined) values[variable.name] = variable.value;
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = secrets.get(ref.name);
    // A Secret the overlay does not render is created out of band (production): names only.
    if (!secret) continue;
    const secretData = secretValues(secret);
    if (ref.key in secretData) values[variable.name] = secretData[ref.key]!;
    else if (!ref.optional)
      problems.push(`${container.name}: ${variable.name} reads missing key ${ref.key} of Secret ${ref.name}`);
  }
  return { names, values, problems };
}
