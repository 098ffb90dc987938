/** How many lines ended up where, and why those rejected were. */
export interface ImportCounts {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** By reason code, most frequent first. */
  reasons: Record<string, ReasonSummary>;
}

export interface ReasonSummary {
  count: number;
  /** The first line numbers rejected for this reason, in file order. */
  lines: number[];
  /** The first message given for it (messages differ per line; one shows what is meant). */
  message: string;
}

/** Line numbers kept per reason: enough to find the pattern, bounded for files with millions of bad lines. */
export const LINES_PER_REASON = 10;

/** Counts outcomes by line, keeping per reason only a bounded sample. */
export class ImportTally {
  private accepted = 0;
  private duplicates = 0;
  private rejected = 0;
  // A Map: reason codes come from the server and must not be able to name Object.prototype keys.
  private readonly reasons = new Map<string, ReasonSummary>();

  accept(): void {
    this.accepted++;
  }

  duplicate(): void {
    this.duplicates++;
  }

  reject(line: number, code: string, message: string): void {
    this.rejected++;
    let reason = this.reasons.get(code);
    if (!reason) this.reasons.set(code, (reason = { count: 0, lines: [], message }));
    reason.count++;
    if (reason.lines.length < LINES_PER_REASON) reason.lines.push(line);
  }

  /** The lines accounted for: every line that was not blank. */
  get settled(): number {
    return this.accepted + this.duplicates + this.rejected;
  }

  get rejectedCount(): number {
    return this.rejected;
  }

  /** The counts alone, cheap enough to call for every progress update. */
  counts(): Omit<ImportCounts, 'reasons'> {
    return { accepted: this.accepted, duplicates: this.duplicates, rejected: this.rejected };
  }

  snapshot(): ImportCounts {
    const reasons = Object.fromEntries(
      [...this.reasons]
        .sort(([, a], [, b]) => b.count - a.count)
        .map(([code, r]) => [code, { ...r, lines: [...r.lines] }]),
    );
    return { accepted: this.accepted, duplicates: this.duplicates, rejected: this.rejected, reasons };
  }
}
