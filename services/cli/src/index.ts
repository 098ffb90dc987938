export { main } from './main.js';
export { commands } from './commands/index.js';
