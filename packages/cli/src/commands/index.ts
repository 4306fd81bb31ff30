/**
 * Every `funes` command, in the order `funes --help` lists them. Each is imported only
 * when it runs (or when help or completion needs them all), so a command starts
 * without loading the others. A new command is a module exporting a
 * `defineCommand(…)` and one entry here.
 */
import type { FunesCommand } from '../command.js';

/** A command, whatever its arguments (each command's own, which yargs checks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of different argument types
export type AnyCommand = FunesCommand<any>;

/** A command's name and how to load its definition. */
export interface CommandEntry {
  /** The first word of its command line: `log` for `log [fn..]`. */
  readonly name: string;
  load(): Promise<AnyCommand>;
}

/** The registry `createCli` builds its commands from. */
export const commands: readonly CommandEntry[] = [
  { name: 'log', load: async () => (await import('./log.js')).logCommand },
  { name: 'show', load: async () => (await import('./show.js')).showCommand },
  { name: 'diff', load: async () => (await import('./diff.js')).diffCommand },
  { name: 'why', load: async () => (await import('./why.js')).whyCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'gc', load: async () => (await import('./gc.js')).gcCommand },
  { name: 'du', load: async () => (await import('./du.js')).duCommand },
  { name: 'export', load: async () => (await import('./export.js')).exportCommand },
  { name: 'ui', load: async () => (await import('./ui.js')).uiCommand },
  { name: 'rm', load: async () => (await import('./rm.js')).rmCommand },
  { name: 'pack', load: async () => (await import('./pack.js')).packCommand },
  { name: 'unpack', load: async () => (await import('./unpack.js')).unpackCommand },
  { name: 'remote', load: async () => (await import('./remote.js')).remoteCommand },
  { name: 'push', load: async () => (await import('./push-pull.js')).pushCommand },
  { name: 'pull', load: async () => (await import('./push-pull.js')).pullCommand },
  { name: 'completion', load: async () => (await import('./completion.js')).completionCommand },
];

/** Every command's definition, for help and completion. */
export function loadCommands(): Promise<AnyCommand[]> {
  return Promise.all(commands.map((command) => command.load()));
}
