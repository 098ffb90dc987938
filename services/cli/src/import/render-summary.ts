import type { ImportReport } from './import-file.js';

/** Line numbers shown per reason in the text summary (the JSON one carries up to ten). */
const LINES_SHOWN = 5;

/** The summary a person reads: totals, then each rejection reason with where to look. */
export function renderSummary(report: ImportReport): string {
  const width = String(Math.max(report.lines, 1)).length;
  const row = (label: string, n: number) => `  ${label.padEnd(11)} ${String(n).padStart(width)}`;
  const from = report.fromLine > 1 ? ` from line ${report.fromLine}` : '';
  const out = [
    `Imported ${report.file}${from} into source "${report.source}"${report.sourceId ? ` (${report.sourceId})` : ''} in ${report.seconds.toFixed(1)} s`,
    row('lines read', report.lines),
    row('accepted', report.accepted),
    row('duplicates', report.duplicates),
    row('rejected', report.rejected),
  ];
  const reasons = Object.entries(report.reasons);
  if (reasons.length) {
    out.push('Rejected lines by reason:');
    const codeWidth = Math.max(...reasons.map(([code]) => code.length));
    for (const [code, r] of reasons) {
      const shown = r.lines.slice(0, LINES_SHOWN).join(', ');
      const more = r.count > LINES_SHOWN ? `, … (${r.count - LINES_SHOWN} more)` : '';
      out.push(
        `  ${code.padEnd(codeWidth)} ${String(r.count).padStart(width)}  ${r.count === 1 ? 'line' : 'lines'} ${shown}${more}`,
      );
      out.push(`  ${''.padEnd(codeWidth)} ${''.padStart(width)}  e.g. ${r.message}`);
    }
  }
  return out.join('\n');
}
