/**
 * @funes/sync, loaded when a command that moves caches (pack, unpack, push, pull, remote)
 * runs, so every other command starts sooner without it (docs/performance.md).
 */
export function loadSync(): Promise<typeof import('@funes/sync')> {
  return import('@funes/sync');
}
