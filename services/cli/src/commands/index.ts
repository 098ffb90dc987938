import type { Command } from '../command.js';
import { dlq } from './dlq.js';
import { evalCommand } from './eval.js';
import { importCommand } from './import.js';
import { keys } from './keys.js';
import { parseFeedCommand } from './parse-feed.js';
import { reembed } from './reembed.js';
import { run } from './run.js';

/** Every CLI command, by name. */
export const commands: Record<string, Command> = {
  dlq,
  eval: evalCommand,
  import: importCommand,
  keys,
  'parse-feed': parseFeedCommand,
  reembed,
  run,
};
