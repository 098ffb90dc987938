import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO, repoPath } from './repo.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** node with `args` from the repository root; collects stdout and stderr together. */
export function startNode(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string; exited: Promise<Finished> } {
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<Finished>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, output: () => output, exited };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * How to run an image's `node ARGV` on this machine. The built files (dist/, what the image runs)
 * when they exist and are newer than the sources of the service and the platform; otherwise the
 * same entry files from src/ through tsx, as every other test tier runs the code: a stale or
 * missing build must neither fail this test nor hide the current code from it.
 */
export function localArgv(imageArgv: string[], service: string): { argv: string[]; mode: 'dist' | 'source' } {
  const files = imageArgv.filter((a) => a.endsWith('.js'));
  const built = files.every((f) => existsSync(repoPath(f)));
  const fresh =
    built &&
    ['platform', service].every((pkg) => {
      const dist = repoPath('services', pkg, 'dist');
      return existsSync(dist) && newestMtime(dist) >= newestMtime(repoPath('services', pkg, 'src'));
    });
  if (fresh) return { argv: imageArgv, mode: 'dist' };
  const toSource = (arg: string) =>
    arg.endsWith('.js') ? arg.replace(/(^|\/)dist\//, '$1src/').replace(/\.js$/, '.ts') : arg;
  return { argv: ['--conditions=source', '--import', 'tsx', ...imageArgv.map(toSource)], mode: 'source' };
}
