import { readFileSync } from 'node:fs';
import { repoPath } from './repo.js';

export interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function dockerfileInstructions(file = repoPath('Dockerfile')): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
  });
}

/** The instructions of the last stage (the image that ships). */
export function finalStage(instructions: Instruction[]): Instruction[] {
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return instructions.slice(lastFrom);
}

/**
 * The command the image runs, for a given SERVICE: the ENTRYPOINT's `sh -c` script with
 * ${TRENDMILL_SERVICE} filled in, split into node's argv (after `exec node`).
 */
export function entrypointArgv(service: string, instructions = dockerfileInstructions()): string[] {
  const entrypoint = finalStage(instructions).find((i) => i.keyword === 'ENTRYPOINT');
  if (!entrypoint) throw new Error('the final stage has no ENTRYPOINT');
  const form = JSON.parse(entrypoint.args) as string[];
  if (form[0] !== '/bin/sh' || form[1] !== '-c')
    throw new Error(`unexpected ENTRYPOINT form: ${entrypoint.args}`);
  const script = form[2]!.replace(/\$\{TRENDMILL_SERVICE\}/g, service).replace(/\s*"\$@"\s*$/, '');
  const words = script.split(/\s+/).map((w) => w.replace(/^"|"$/g, ''));
  if (words[0] !== 'exec' || words[1] !== 'node') throw new Error(`ENTRYPOINT does not exec node: ${script}`);
  return words.slice(2);
}
