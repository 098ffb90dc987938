import type { EngineItem } from '../contract.js';

/** Seeded items on a few well separated topics, for the engine's tests and benchmarks. */
export interface TopicStreamOptions {
  dim?: number;
  /** Cosine similarity of an item to its topic's direction (about). */
  closeness?: number;
  seed?: number;
  model?: string;
}

const WORDS = [
  ['volcano', 'eruption', 'lava', 'ash', 'evacuation'],
  ['election', 'ballot', 'candidate', 'voters', 'polls'],
  ['football', 'goal', 'striker', 'league', 'penalty'],
  ['vaccine', 'trial', 'dose', 'immunity', 'booster'],
  ['rocket', 'launch', 'orbit', 'satellite', 'payload'],
  ['bitcoin', 'crypto', 'exchange', 'token', 'wallet'],
];

export class TopicStream {
  readonly dim: number;
  readonly model: string;
  private readonly closeness: number;
  private readonly random: () => number;
  private readonly directions = new Map<number, Float32Array>();
  private serial = 0;

  constructor(options: TopicStreamOptions = {}) {
    this.dim = options.dim ?? 32;
    this.closeness = options.closeness ?? 0.85;
    this.model = options.model ?? 'test-model';
    this.random = mulberry32(options.seed ?? 7);
  }

  /** The unit direction of a topic (fixed once drawn). */
  direction(topic: number): Float32Array {
    let direction = this.directions.get(topic);
    if (!direction) this.directions.set(topic, (direction = unit(this.gaussian())));
    return direction;
  }

  /** A direction between two topics' (weight 0: a, 1: b), for clusters that converge. */
  blend(a: number, b: number, weight: number): Float32Array {
    const x = this.direction(a);
    const y = this.direction(b);
    return unit(Float32Array.from(x, (value, i) => (1 - weight) * value + weight * y[i]!));
  }

  /** One item about `topic` (or around an explicit direction), published at `publishedAt`. */
  item(topic: number, publishedAt: number, around?: Float32Array): EngineItem {
    const direction = around ?? this.direction(topic);
    const noise = unit(this.gaussian());
    // Orthogonal noise of the right size puts the item at `closeness` cosine from the direction.
    let along = 0;
    for (let d = 0; d < this.dim; d++) along += noise[d]! * direction[d]!;
    const side = unit(Float32Array.from(noise, (value, d) => value - along * direction[d]!));
    const c = this.closeness;
    const s = Math.sqrt(1 - c * c);
    const vector = unit(Float32Array.from(direction, (value, d) => c * value + s * side[d]!));
    const words = WORDS[topic % WORDS.length]!;
    const pick = () => words[Math.floor(this.random() * words.length)]!;
    this.serial += 1;
    return {
      itemId: `item-${String(this.serial).padStart(5, '0')}`,
      model: this.model,
      vector,
      text: `${pick()} ${pick()} ${pick()} report ${this.serial}`,
      publishedAt,
      sourceId: 'test-source',
      language: 'en',
    };
  }

  private gaussian(): Float32Array {
    return Float32Array.from({ length: this.dim }, () => {
      const u = Math.max(this.random(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
    });
  }
}

export function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Float32Array.from(vector, (value) => value / norm);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
