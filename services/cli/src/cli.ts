// Executable entry of the built CLI (`node services/cli/dist/cli.js <command>`), used by `make run`
// and the container images; `npx trendmill` runs the same main() from sources via bin/trendmill.js.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
