import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { SampleProgress } from './launcher.js';

/**
 * Shows the first-start import of the demo corpus: a bar per file on a terminal; in a log, one
 * line per quarter of a file (bar redraws would litter it). A restart imports nothing new, and the
 * bar then says so ("… duplicates").
 */
export function sampleProgressDisplay(stream: NodeJS.WriteStream): {
  update: (progress: SampleProgress) => void;
} {
  let bar: cliProgress.SingleBar | undefined;
  let file: string | undefined;
  let lastQuarter = -1;
  return {
    update(progress) {
      const name = basename(progress.file);
      const counts = {
        accepted: progress.accepted,
        duplicates: progress.duplicates,
        rejected: progress.rejected,
      };
      if (stream.isTTY) {
        if (file !== progress.file) {
          bar?.stop();
          file = progress.file;
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `sample ${name} [{bar}] {value}/{total} lines | {accepted} new | {duplicates} already there | {rejected} rejected`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(progress.totalLines, 0, counts);
        }
        bar?.update(progress.lines, counts);
        if (progress.lines >= progress.totalLines) {
          bar?.stop();
          bar = undefined;
        }
        return;
      }
      if (file !== progress.file) {
        file = progress.file;
        lastQuarter = -1;
      }
      const quarter = Math.floor((4 * progress.lines) / Math.max(progress.totalLines, 1));
      if (quarter === lastQuarter) return;
      lastQuarter = quarter;
      stream.write(
        `sample ${name}: ${progress.lines}/${progress.totalLines} lines, ${counts.accepted} new, ` +
          `${counts.duplicates} already there, ${counts.rejected} rejected\n`,
      );
    },
  };
}
