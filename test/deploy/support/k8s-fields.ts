import ts from 'typescript';
import type { K8sObject } from './kustomize.js';
import { modulePath } from './k8s-schemas.js';
import { repoPath } from './repo.js';

/**
 * Unknown fields (a misspelt `readinessProbe`, a field at the wrong level), which the API server
 * drops or refuses under strict field validation and the JSON-schema check lets through. Each
 * object becomes a typed object literal in a virtual TypeScript file, checked against the
 * interfaces `kubernetes-models` and its CRD packages generate from the same OpenAPI schemas:
 * TypeScript's excess-property check reports every field the schema does not define.
 */
export function unknownFieldProblems(objects: K8sObject[]): string[] {
  const file = repoPath('test', 'deploy', '__rendered-objects__.ts');
  const lines: string[] = [];
  objects.forEach((object, i) => {
    lines.push(
      `import type { I${object.kind} as T${i} } from '${modulePath(object.apiVersion, object.kind)}';`,
    );
  });
  const firstObjectLine = lines.length;
  objects.forEach((object, i) => lines.push(`export const o${i}: T${i} = ${JSON.stringify(object)};`));
  const text = lines.join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? text : readFile(name));

  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file)!;
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    const line = d.start === undefined ? -1 : source.getLineAndCharacterOfPosition(d.start).line;
    const object = objects[line - firstObjectLine];
    return object ? `${object.kind}/${object.metadata.name}: ${message}` : message;
  });
}
