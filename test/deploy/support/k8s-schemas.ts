import type { K8sObject } from './kustomize.js';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/**
 * Offline validation against the Kubernetes OpenAPI schemas compiled into `kubernetes-models`
 * (types, required fields, enums, formats), and against the published CRD schemas of KEDA and the
 * Prometheus operator from their `@kubernetes-models/*` packages.
 */
const PACKAGES: Record<string, string> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

export function modulePath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!/^[a-z0-9.]*$/.test(group!) || !/^v\d+[a-z0-9]*$/.test(version!) || !/^[A-Z][A-Za-z]+$/.test(kind)) {
    throw new Error(`not a Kubernetes apiVersion/kind: ${apiVersion} ${kind}`);
  }
  const pkg = PACKAGES[group!] ?? 'kubernetes-models';
  return group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
}

/** Undefined when valid; otherwise why not (including "no schema known for this kind"). */
export async function schemaProblem(object: K8sObject): Promise<string | undefined> {
  let Model: ModelClass;
  try {
    const path = modulePath(object.apiVersion, object.kind);
    const module = (await import(path)) as Record<string, ModelClass>;
    const found = module[object.kind];
    if (!found) return `no schema for ${object.apiVersion} ${object.kind} in ${path}`;
    Model = found;
  } catch (err) {
    return `no schema for ${object.apiVersion} ${object.kind}: ${err instanceof Error ? err.message : String(err)}`;
  }
  try {
    new Model(withUnwrappedSecretData(object)).validate();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * kustomize wraps long base64 Secret values over several lines; the API server's base64 decoder
 * (Go's encoding/base64) skips line breaks, while the schema's `byte` format does not.
 */
function withUnwrappedSecretData(object: K8sObject): K8sObject {
  const data = (object as { data?: Record<string, string> }).data;
  if (object.kind !== 'Secret' || !data) return object;
  const unwrapped = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')]));
  return { ...object, data: unwrapped };
}
