/**
 * Every `funes` command, in the order `funes --help` lists them. A new command is a
 * module exporting a `defineCommand(…)` and one entry here.
 */
import type { FunesCommand } from '../command.js';
import { logCommand } from './log.js';
import { showCommand } from './show.js';

export const commands: readonly FunesCommand<any>[] = [logCommand, showCommand];
