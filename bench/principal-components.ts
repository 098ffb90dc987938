import { principalComponents } from '../services/clusterer/src/domain/principal-components.js';
import {
  referencePrincipalComponents,
  sameBits,
} from '../services/clusterer/src/domain/testing/principal-components-reference.js';
import { DISCOVERY_DIMENSIONS } from '../services/clusterer/src/domain/find-groups.js';
import { gaussianMixture } from '../services/clusterer/src/algorithms/hdbscan/testing/synthetic.js';
import { machine } from './machine.js';
import { round } from './support/numbers.js';

/**
 * Discovery's principal components (the top DISCOVERY_DIMENSIONS, 3 iterations, as find-groups
 * asks for them) on a seeded mixture of unit vectors, timed beside the column-by-column
 * computation they replaced (testing/principal-components-reference.ts), alternating, best of
 * `rounds` each. `identical` checks the two agree to the bit. One JSON line per size.
 *
 * Args: [N ...] (default 5000 20000) [--dim 512] [--rounds 3]
 */
export async function run(args: string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const dim = flag('dim', 512);
  const rounds = flag('rounds', 3);
  const sizes = args.filter((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')).map(Number);
  for (const n of sizes.length ? sizes : [5000, 20000]) {
    const { vectors } = gaussianMixture({
      n,
      dim,
      clusters: 40,
      noiseFraction: 0.1,
      spread: [0.5, 0.9],
      seed: 7,
    });
    const options = { iterations: 3 };
    let reference = Infinity;
    let ours = Infinity;
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      const a = referencePrincipalComponents(vectors, DISCOVERY_DIMENSIONS, options);
      reference = Math.min(reference, performance.now() - t);
      t = performance.now();
      const b = principalComponents(vectors, DISCOVERY_DIMENSIONS, options);
      ours = Math.min(ours, performance.now() - t);
      identical &&= sameBits(a, b);
    }
    console.log(
      JSON.stringify({
        bench: 'principal-components',
        n,
        dim,
        components: DISCOVERY_DIMENSIONS,
        reference_ms: round(reference),
        ours_ms: round(ours),
        speedup: round(reference / ours, 2),
        identical,
        rule: 'speedup = column-by-column reference time / row-by-row time, best of each; identical: same bits',
        machine: machine(),
      }),
    );
  }
}
