import type { CatalogEntry } from './catalog.js';
import type { RecordedRun } from './recorded-run.js';

/** One section of BENCHMARKS.md: a bench, what the catalog says of it, and its recorded runs. */
export interface BenchSection {
  name: string;
  entry?: CatalogEntry;
  runs: RecordedRun[];
}

type Row = Record<string, unknown>;

const HEADER = `# Benchmarks

Generated from the runs recorded in \`bench/results/\` — do not edit by hand. \`npm run benchmarks\`
(or \`make benchmarks\`) re-runs every benchmark with its standard arguments and renders this page;
\`npm run benchmarks -- --render-only\` only renders it. Any \`npm run bench -- NAME [args]\` that
completes records its figures (the latest run per argument set is kept), so a figure below always
comes with the command that produced it, its date and the machine it ran on. Runs that started on a
busy machine (1-minute load above the core count) are marked: their timings are pessimistic.
`;

export function renderBenchmarks(sections: BenchSection[]): string {
  const out = [
    HEADER,
    '## Summary',
    '',
    '| benchmark | issue | target | latest run | machine |',
    '|---|---|---|---|---|',
  ];
  for (const s of sections) {
    const latest = newest(s.runs);
    out.push(
      `| [${s.name}](#${s.name}) | ${s.entry ? `#${s.entry.issue}` : ''} | ${cell(s.entry?.target ?? '')} | ${
        latest ? latest.date.slice(0, 10) : 'not yet recorded'
      } | ${latest ? cell(describeMachine(latest)) : ''} |`,
    );
  }
  for (const s of sections) out.push('', ...renderSection(s));
  return out.join('\n') + '\n';
}

export function renderSection(section: BenchSection): string[] {
  const { name, entry } = section;
  const out = [`## ${name}`, ''];
  if (entry) out.push(`${entry.measures} (issue #${entry.issue})`, '', `**Target:** ${entry.target}`, '');
  else out.push('_Not described in bench/report/catalog.ts yet._', '');
  if (entry?.needs) out.push(`Needs: ${entry.needs}.`, '');
  if (section.runs.length === 0) {
    const args = entry?.args.length ? ` ${entry.args.join(' ')}` : '';
    out.push(`_Not yet recorded._ Run \`npm run bench -- ${name}${args}\` or \`npm run benchmarks\`.`);
    return out;
  }
  for (const run of orderRuns(section.runs, entry?.args ?? [])) {
    out.push(`### \`${run.command}\``, '', runFacts(run), '');
    for (const group of groupByShape(run.lines.map((line) => withoutEcho(line, name)))) {
      out.push(...(group.length === 1 ? keyValueTable(group[0]!) : wideTable(group)), '');
    }
  }
  out.pop();
  return out;
}

export function describeMachine(run: RecordedRun): string {
  const m = run.machine;
  return `${m.cpus} × ${m.cpu_model}, ${m.memory_gib} GiB, Node ${m.node}, ${m.platform}`;
}

function runFacts(run: RecordedRun): string {
  const busy = run.loadAtStart > run.machine.cpus ? ' ⚠ busy machine' : '';
  const when = run.date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `${when} · ${run.seconds} s · ${describeMachine(run)} · load ${run.loadAtStart} at start${busy}`;
}

const newest = (runs: RecordedRun[]) => [...runs].sort((a, b) => b.date.localeCompare(a.date))[0];

/** The run with the standard arguments first, then the others, newest first. */
function orderRuns(runs: RecordedRun[], standard: string[]): RecordedRun[] {
  const isStandard = (r: RecordedRun) => r.args.join('\0') === standard.join('\0');
  return [...runs].sort(
    (a, b) => Number(isStandard(b)) - Number(isStandard(a)) || b.date.localeCompare(a.date),
  );
}

/** The machine is in the run's facts and the bench's name in the heading: not repeated per row. */
function withoutEcho(line: Row, bench: string): Row {
  const flat: Row = {};
  for (const [key, value] of Object.entries(line)) {
    if (key === 'machine' || (key === 'bench' && value === bench)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value)) flat[`${key}.${inner}`] = v;
    } else flat[key] = value;
  }
  return flat;
}

/** Consecutive lines with the same keys make one table (a bench prints rows, then a summary). */
function groupByShape(lines: Row[]): Row[][] {
  const groups: Row[][] = [];
  let shape = '';
  for (const line of lines) {
    const next = Object.keys(line).join('\0');
    if (next !== shape || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(line);
    shape = next;
  }
  return groups;
}

function keyValueTable(line: Row): string[] {
  return [
    '| figure | value |',
    '|---|---|',
    ...Object.entries(line).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
  ];
}

function wideTable(lines: Row[]): string[] {
  const keys = Object.keys(lines[0]!);
  return [
    `| ${keys.map(cell).join(' | ')} |`,
    `|${keys.map(() => '---').join('|')}|`,
    ...lines.map((line) => `| ${keys.map((k) => cell(line[k])).join(' | ')} |`),
  ];
}

function cell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? '—'
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
