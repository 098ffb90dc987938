import { commands } from './commands/index.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: trendmill <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run \`trendmill <command> --help\` for a command's options.`;

/** Returns the process exit code; printing goes to stdout (results) and stderr (errors). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`trendmill: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`trendmill ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`trendmill ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
