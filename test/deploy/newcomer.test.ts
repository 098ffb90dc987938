import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { waitFor } from '@trendmill/platform/testing';
import { freePort } from './support/processes.js';
import { REPO } from './support/repo.js';

/** The tags of deploy/sample-data/stackoverflow-demo.jsonl: a topic from the demo corpus names one. */
// prettier-ignore
const DEMO_TAGS = [
  'scala', 'haskell', 'matlab', 'magento', 'sharepoint', 'svn', 'osx', 'oracle', 'hibernate', 'cocoa',
  'drupal', 'bash', 'apache', 'visual studio', 'wordpress', 'ajax', 'qt', 'linq', 'excel', 'spring',
];

interface Cluster {
  id: string;
  version: number;
  label: string;
  keywords: Array<{ term: string; weight: number }>;
  size: number;
}

/**
 * What a newcomer sees: PATH and HOME only (their npm cache and ~/.npmrc, as after a first
 * download), minus any node_modules/.bin that `npx mocha` put on PATH, so the clone cannot lean on
 * this checkout's tools.
 */
function newcomerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  return { PATH: path, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

const hasCommand = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

/** Since `started`, in seconds, for the progress lines and the phase timings. */
const since = (started: number) => Math.round((Date.now() - started) / 1000);

/**
 * Issue #7 acceptance 1: clone → `make run` (exactly the README's quick start) → ready → topics
 * through the API. The clone is of the committed HEAD: uncommitted changes in this checkout are not
 * part of what it checks. Its `make run` runs its own `npm ci` and build; the machine's npm cache
 * serves the packages, as it does on a newcomer's machine after the first download.
 */
describe('newcomer check: a fresh clone of HEAD, `make run`, topics from the demo corpus', function () {
  // npm ci (~1,100 packages) and the build dominate; a busy 2-core machine takes minutes.
  this.timeout(30 * 60_000);
  let work: string | undefined;
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;

  after(async function () {
    this.timeout(180_000);
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('serves the dashboard and demo-corpus topics with the printed key, and stops on Ctrl-C', async function () {
    if (!hasCommand('git') || !hasCommand('make')) return this.skip(); // the README's quick start needs both
    const started = Date.now();
    const timings: Record<string, number> = {};
    const note = (phase: string) => {
      timings[phase] = since(started);
      console.log(`      newcomer: ${phase} after ${timings[phase]} s`);
    };
    work = mkdtempSync(join(tmpdir(), 'trendmill-newcomer-'));
    const clone = join(work, 'trendmill');
    const data = join(work, 'data');
    const cloned = spawnSync('git', ['clone', '--quiet', REPO, clone], { encoding: 'utf8' });
    expect(cloned.status, `git clone: ${cloned.stderr}`).to.equal(0);
    note('cloned');

    const port = await freePort();
    child = spawn('make', ['run'], {
      cwd: clone,
      env: newcomerEnv({ TRENDMILL_DATA: data, TRENDMILL_PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: make, npm, node and what they start stop together
    });
    let output = '';
    // Where the time goes: the clone's own npm ci, then its build, then start-up.
    const milestones: Array<[string, RegExp]> = [
      ['npm ci done', /added \d+ packages/],
      ['built', /Successfully ran target build/],
    ];
    const collect = (d: Buffer) => {
      output += d.toString();
      while (milestones.length && milestones[0]![1].test(output)) note(milestones.shift()![0]);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    exited = new Promise((resolve) => child!.once('exit', (code) => resolve(code)));
    let exitedEarly: number | null | undefined;
    void exited.then((code) => (exitedEarly = code));
    const lastLine = () => output.trimEnd().split('\n').pop()?.slice(0, 160) ?? '';
    const progress = setInterval(
      () => console.log(`      newcomer: ${since(started)} s, last output: ${lastLine()}`),
      30_000,
    );

    try {
      const ready = () => /Trendmill is running on (http:\/\/\S+)/.exec(output);
      await waitFor(
        () => {
          if (exitedEarly !== undefined) throw new Error(`make run exited with ${exitedEarly}:\n${output}`);
          return ready() !== null && /API key\s+\S+/.test(output);
        },
        {
          timeoutMs: 25 * 60_000,
          intervalMs: 500,
          what: () => `make run to print its address; output:\n${output}`,
        },
      );
      note('ready');
      const url = ready()![1]!;
      expect(url, 'the printed address').to.be.oneOf([
        `http://localhost:${port}`,
        `http://127.0.0.1:${port}`,
      ]);
      const key = /API key\s+(\S+)/.exec(output)![1]!;
      expect(readFileSync(join(data, 'gateway-admin.key'), 'utf8').trim(), 'the key file').to.equal(key);
      const api = async <T>(path: string): Promise<T> => {
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status, `GET ${path}`).to.equal(200);
        return (await res.json()) as T;
      };

      const dashboard = await fetch(`${url}/`);
      expect(dashboard.status).to.equal(200);
      expect(dashboard.headers.get('content-type')).to.match(/^text\/html/);
      expect(await dashboard.text()).to.match(/<html/i);

      // The demo corpus is imported after ready, then discovery finds its topics.
      await waitFor(() => /sample stackoverflow-demo\.jsonl: (\d+)\/\1 lines/.test(output), {
        timeoutMs: 10 * 60_000,
        intervalMs: 1_000,
        what: () => `the demo corpus import; output:\n${output}`,
      });
      note('demo corpus imported');
      let demoTopics: Cluster[] = [];
      await waitFor(
        async () => {
          // A busy machine can drop a poll's connection; a failed poll only means "not yet".
          const list = await api<{ items: Cluster[] }>('/api/v1/clusters?sort=size&limit=50').catch(
            () => undefined,
          );
          demoTopics = (list?.items ?? []).filter((c) =>
            c.keywords.some((k) => DEMO_TAGS.includes(k.term.toLowerCase())),
          );
          return demoTopics.length >= 3;
        },
        { timeoutMs: 5 * 60_000, intervalMs: 2_000, what: 'topics of the demo corpus' },
      );
      note('demo topics listed');
      const topic = demoTopics[0]!;
      expect(topic.label).to.be.a('string').and.not.equal('');
      expect(topic.size).to.be.greaterThan(1);
      // The topic may still grow (and be relabelled) between two reads: compare the detail with
      // the list at one version of it.
      await waitFor(
        async () => {
          const detail = await api<Cluster>(`/api/v1/clusters/${topic.id}`);
          const list = await api<{ items: Cluster[] }>('/api/v1/clusters?sort=size&limit=50');
          const listed = list.items.find((c) => c.id === topic.id);
          if (listed?.version !== detail.version) return false;
          expect(detail.label).to.equal(listed.label);
          return true;
        },
        {
          timeoutMs: 60_000,
          intervalMs: 1_000,
          what: `one version of topic ${topic.id} in the list and its detail`,
        },
      );

      // Ctrl-C reaches the whole group, as in a terminal; the launcher stops gracefully.
      process.kill(-child.pid!, 'SIGINT');
      const stopped = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('timeout'), 60_000)),
      ]);
      expect(stopped, `make run still running 60 s after Ctrl-C:\n${lastLine()}`).to.not.equal('timeout');
      note('stopped');
      console.log(`      newcomer: phase timings (s from start) ${JSON.stringify(timings)}`);
    } finally {
      clearInterval(progress);
    }
  });
});
