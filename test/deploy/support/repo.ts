import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const repoPath = (...parts: string[]) => join(REPO, ...parts);

/** The services the design deploys one process (pod, container) each. */
export const DEPLOYED_SERVICES = [
  'collector',
  'normalizer',
  'embedder',
  'clusterer',
  'query',
  'gateway',
] as const;

/**
 * Workspace folders under services/ that run as a service of their own: a src/main.ts that hands
 * its lifecycle to runService (the CLI's main.ts is a command, not a service).
 */
export function runnableServices(): string[] {
  return readdirSync(repoPath('services'))
    .filter((name) => {
      const main = repoPath('services', name, 'src', 'main.ts');
      return existsSync(main) && /\brunService\(/.test(readFileSync(main, 'utf8'));
    })
    .sort();
}

export function isServiceFolder(name: string): boolean {
  return existsSync(repoPath('services', name, 'package.json'));
}

/**
 * Runs a tool the deploy tests depend on, installing it first through deploy/tools/ensure-tools.sh.
 * A tool that is still missing afterwards fails the test: these checks never pass by not running.
 */
export function requireTool(command: string): void {
  const found = () => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found()) return;
  const install = spawnSync(repoPath('deploy', 'tools', 'ensure-tools.sh'), [], { encoding: 'utf8' });
  if (!found()) {
    throw new Error(
      `${command} is not installed and deploy/tools/ensure-tools.sh could not install it ` +
        `(exit ${install.status}): ${install.stderr.trim()}`,
    );
  }
}
