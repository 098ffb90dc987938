import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, requireTool } from './repo.js';

export interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string | null> };
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  ports?: Array<string | { published?: number | string; target: number; host_ip?: string }>;
  profiles?: string[];
  restart?: string;
  entrypoint?: string[] | string;
  read_only?: boolean;
  user?: string;
  deploy?: { resources?: { limits?: { cpus?: string | number; memory?: string } } };
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
}

/**
 * `docker-compose config`: validates the file and resolves anchors, merges and `${VAR:-default}`.
 * Runs with a bare environment and no .env file, so the defaults in the file are what gets checked,
 * not whatever the machine happens to export.
 */
export function composeConfig(args: string[] = []): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  requireTool('docker-compose');
  const res = spawnSync(
    'docker-compose',
    ['-f', 'docker-compose.yml', '--env-file', emptyEnvFile(), ...args, 'config'],
    {
      cwd: REPO,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

let emptyEnv: string | undefined;
function emptyEnvFile(): string {
  if (!emptyEnv) {
    emptyEnv = join(mkdtempSync(join(tmpdir(), 'trendmill-compose-')), 'empty.env');
    writeFileSync(emptyEnv, '');
  }
  return emptyEnv;
}

let cached: ComposeConfig | undefined;
export function resolvedCompose(): ComposeConfig {
  if (cached) return cached;
  const res = composeConfig(['--profile', 'kafka']);
  if (res.status !== 0) throw new Error(`docker-compose config failed: ${res.stderr}`);
  cached = parse(res.stdout) as ComposeConfig;
  return cached;
}

/** A service's environment as the container gets it (null/empty values count as unset, as in loadConfig). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) env[key] = value ?? '';
  return env;
}
