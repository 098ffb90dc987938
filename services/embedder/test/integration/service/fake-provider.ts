import { createHash } from 'node:crypto';
import {
  InvalidEmbeddingInputError,
  ProviderUnavailableError,
  normalizeInPlace,
  type EmbeddingProvider,
} from '../../../src/providers/port.js';

/**
 * A provider for service tests: deterministic vectors from a hash of the text (so equal texts get
 * equal vectors and the test can recompute them), with switches for the failure modes the service
 * must handle. It records every call, so tests can see batching and cache hits.
 */
export class FakeProvider implements EmbeddingProvider {
  readonly kind = 'fake';
  readonly calls: string[][] = [];
  /** While set, embed throws ProviderUnavailableError with this retry hint. */
  unavailable: { retryAfterMs?: number } | undefined;
  /** Texts containing this marker are refused as invalid input. */
  rejectMarker = '#reject#';
  closed = false;

  constructor(
    readonly model = 'fake-a',
    readonly dim = 8,
    readonly maxBatch = 64,
  ) {}

  vectorOf(text: string): Float32Array {
    const digest = createHash('sha256').update(`${this.model}\n${text}`).digest();
    const v = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) v[i] = (digest[i % digest.length]! - 127.5) / 127.5;
    return normalizeInPlace(v);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.unavailable)
      throw new ProviderUnavailableError('fake provider is down', this.unavailable.retryAfterMs);
    if (texts.length > this.maxBatch) throw new Error(`batch of ${texts.length} > maxBatch ${this.maxBatch}`);
    if (texts.some((t) => t.includes(this.rejectMarker)))
      throw new InvalidEmbeddingInputError('text contains the reject marker');
    this.calls.push([...texts]);
    return texts.map((t) => this.vectorOf(t));
  }

  get textsEmbedded(): number {
    return this.calls.reduce((n, c) => n + c.length, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
