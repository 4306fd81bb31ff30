/**
 * A progress bar for long work, on stderr. It stays invisible for the first second
 * (short runs print nothing) and when stderr is not a TTY or `--quiet` was given, so
 * it never mixes with piped output.
 */

/** How long work runs before a bar appears. */
const SHOW_AFTER_MS = 1000;
/** Redraw at most this often. */
const REDRAW_EVERY_MS = 100;
const WIDTH = 30;

/** Counts work done; the caller ticks and calls `done()` when finished. */
export interface Progress {
  tick(count?: number): void;
  done(): void;
}

/** A progress that shows nothing. */
export const silentProgress: Progress = { tick() {}, done() {} };

/** The bar's line for a state (pure). */
export function progressLine(label: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
  return `${label} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${done}/${total}`;
}

/** A bar drawn on `stream` with `\r` redraws; cleared by `done()`. `now` is the clock (ms), replaceable in tests. */
export function createProgress(
  stream: { write(text: string): unknown },
  label: string,
  total: number,
  now: () => number = Date.now,
): Progress {
  const started = now();
  let done = 0;
  let drawnAt = 0;
  let drawn = false;
  return {
    tick(count = 1) {
      done += count;
      const at = now();
      if (at - started < SHOW_AFTER_MS || at - drawnAt < REDRAW_EVERY_MS) return;
      drawnAt = at;
      drawn = true;
      stream.write(`\r${progressLine(label, done, total)}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
