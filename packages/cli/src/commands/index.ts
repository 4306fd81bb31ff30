/**
 * Every `funes` command, in the order `funes --help` lists them. A new command is a
 * module exporting a `defineCommand(…)` and one entry here.
 */
import type { FunesCommand } from '../command.js';
import { logCommand } from './log.js';
import { diffCommand } from './diff.js';
import { duCommand } from './du.js';
import { exportCommand } from './export.js';
import { gcCommand } from './gc.js';
import { rmCommand } from './rm.js';
import { showCommand } from './show.js';
import { verifyCommand } from './verify.js';
import { remoteCommand } from './remote.js';
import { pushCommand, pullCommand } from './push-pull.js';
import { packCommand } from './pack.js';
import { unpackCommand } from './unpack.js';
import { whyCommand } from './why.js';
import { uiCommand } from './ui.js';
import { completionCommand } from './completion.js';

/** The registry `createCli` builds its commands from. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of different argument types
export const commands: readonly FunesCommand<any>[] = [logCommand, showCommand, diffCommand, whyCommand, verifyCommand, gcCommand, duCommand, exportCommand, uiCommand, rmCommand, packCommand, unpackCommand, remoteCommand, pushCommand, pullCommand, completionCommand];
