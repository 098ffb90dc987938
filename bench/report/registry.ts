/** The names in bench/run.ts's registry, read from its text (importing it would run a bench). */
export function registryNames(source: string): string[] {
  return [...source.matchAll(/^\s*'?([\w-]+)'?\s*:\s*\(\)\s*=>\s*import\(/gm)].map((m) => m[1]!);
}
