import type { Command } from '../command.js';
import { dlq } from './dlq.js';
import { importCommand } from './import.js';
import { parseFeedCommand } from './parse-feed.js';
import { reembed } from './reembed.js';
import { run } from './run.js';

/** Every CLI command, by name. */
export const commands: Record<string, Command> = {
  dlq,
  import: importCommand,
  'parse-feed': parseFeedCommand,
  reembed,
  run,
};
