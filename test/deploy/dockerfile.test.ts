import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dockerfileInstructions, entrypointArgv, finalStage } from './support/dockerfile.js';
import { DEPLOYED_SERVICES, repoPath, runnableServices } from './support/repo.js';

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions();
  const final = finalStage(instructions);

  it('is multi-stage: build with dev dependencies, ship without them', () => {
    const stages = instructions.filter((i) => i.keyword === 'FROM');
    expect(stages.length).to.be.at.least(2);
    const run = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(
      run.some((r) => /\bnpm ci\b/.test(r)),
      'npm ci',
    ).to.equal(true);
    expect(
      run.some((r) => r.includes('prisma:generate')),
      'prisma generate',
    ).to.equal(true);
    expect(
      run.some((r) => r.includes('lerna run build')),
      'lerna build',
    ).to.equal(true);
    expect(
      run.some((r) => /npm prune --omit=dev/.test(r)),
      'prune dev dependencies',
    ).to.equal(true);
    // Offline generation: every workspace's prisma:generate script pins the engine binary away.
    for (const service of DEPLOYED_SERVICES) {
      const pkg = JSON.parse(readFileSync(repoPath('services', service, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      if (
        existsSync(repoPath('services', service, 'prisma', 'schema.prisma')) &&
        pkg.scripts?.['prisma:generate']
      ) {
        expect(pkg.scripts['prisma:generate'], service).to.contain('PRISMA_SCHEMA_ENGINE_BINARY=/bin/false');
      }
    }
  });

  it('runs as a numeric non-root user with a health check on /healthz at HTTP_PORT', () => {
    const user = final.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).to.match(/^[1-9]\d*(:\d+)?$/);
    const health = final.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(health).to.contain('/healthz');
    expect(health).to.contain('process.env.HTTP_PORT');
  });

  it('starts node with the tracing preload that @trendmill/platform exports, on the service built main', () => {
    const platform = JSON.parse(readFileSync(repoPath('services', 'platform', 'package.json'), 'utf8')) as {
      exports: Record<string, { default: string; source: string }>;
    };
    const preload = platform.exports['./tracing-preload']!;
    for (const service of DEPLOYED_SERVICES) {
      const argv = entrypointArgv(service);
      expect(argv, service).to.deep.equal([
        '--import',
        `./services/platform/${preload.default.replace(/^\.\//, '')}`,
        `services/${service}/dist/main.js`,
      ]);
    }
    // The service's tsconfig turns src/main.ts into exactly that dist/main.js.
    for (const service of runnableServices()) {
      const tsconfig = JSON.parse(readFileSync(repoPath('services', service, 'tsconfig.json'), 'utf8')) as {
        compilerOptions: { outDir: string; rootDir: string };
      };
      expect(tsconfig.compilerOptions, service).to.include({ outDir: 'dist', rootDir: 'src' });
    }
    expect(existsSync(repoPath('services', 'platform', preload.source))).to.equal(true);
  });

  it('.dockerignore keeps dependencies, builds, local data and secrets out of the build context', () => {
    const ignored = readFileSync(repoPath('.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of ['**/node_modules', '**/dist', '.git', '.env', 'data'])
      expect(ignored).to.include(pattern);
    // The migration tool runs from the image (compose `migrate`, the Kubernetes Job).
    expect(ignored.some((p) => p === 'deploy' || p === 'deploy/tools')).to.equal(false);
  });
});
