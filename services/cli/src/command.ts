export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
