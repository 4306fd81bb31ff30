/**
 * The one place that writes to the terminal. Commands hand it a result and a pure
 * formatter: with `--json` the result itself is printed, otherwise the formatter's
 * text, so both always come from the same object. Logs, warnings, prompts and
 * progress go to stderr; stdout carries only the command's output.
 */
import type { Readable, Writable } from 'node:stream';
import type { ErrorReport } from './errors.js';
import { createProgress, silentProgress, type Progress } from './progress.js';
import { colorEnabled, createStyle, noStyle, printable, type Style } from './style.js';

/** The process's streams and environment, replaceable in tests. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** How the user asked output to look (the global options). */
export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
}

/** Turns a result into text; `style` is colors for stdout. Pure. */
export type Formatter<T> = (result: T, style: Style) => string;

/** Writes one run's output, as the global options ask. */
export class Output {
  /** Colors for stdout (none with `--json`, when not a TTY, or with NO_COLOR). */
  readonly style: Style;
  private readonly errStyle: Style;

  constructor(
    private readonly io: Io,
    readonly options: OutputOptions,
  ) {
    this.style = !options.json && colorEnabled(io.stdout, options.color, io.env) ? createStyle(true) : noStyle;
    this.errStyle = colorEnabled(io.stderr, options.color, io.env) ? createStyle(true) : noStyle;
  }

  /** Prints a command's result: as JSON with `--json`, else as the formatter's text. */
  result<T>(result: T, format: Formatter<T>): void {
    if (this.options.json) {
      this.io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const text = printable(format(result, this.style), this.style !== noStyle);
    if (text !== '') this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Like {@link result}, but prints nothing in text mode with `--quiet` (for commands that change the cache). */
  report<T>(result: T, format: Formatter<T>): void {
    if (this.options.quiet && !this.options.json) return;
    this.result(result, format);
  }

  /** Writes raw data to stdout (exports); resolves when stdout can take more. */
  write(chunk: string): Promise<void> {
    const { stdout } = this.io;
    if (stdout.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const drained = () => {
        stdout.off('error', failed);
        resolve();
      };
      const failed = (error: Error) => {
        stdout.off('drain', drained);
        reject(error);
      };
      stdout.once('drain', drained).once('error', failed);
    });
  }

  /** A warning on stderr; shown even with `--quiet`. */
  warn(message: string): void {
    this.io.stderr.write(`${this.errStyle.yellow('warning:')} ${printable(message, false)}\n`);
  }

  /** A failed run's error: one line plus a hint, or a JSON object with `--json`. */
  error(report: ErrorReport): void {
    if (this.options.json) {
      const { code, message, hint } = report;
      const error = { code, message, ...(hint !== undefined && { hint }) };
      this.io.stderr.write(`${JSON.stringify({ error })}\n`);
      return;
    }
    this.io.stderr.write(`${this.errStyle.red('error:')} ${printable(report.message, false)}\n`);
    if (report.hint) this.io.stderr.write(`${this.errStyle.dim('hint:')} ${printable(report.hint, false)}\n`);
  }

  /** Whether {@link progress} bars are shown: on an interactive stderr and without `--quiet`. */
  get showsProgress(): boolean {
    return !this.options.quiet && this.io.stderr.isTTY === true;
  }

  /** A progress bar for `total` steps, shown only on an interactive stderr and without `--quiet`. */
  progress(label: string, total: number): Progress {
    return this.showsProgress ? createProgress(this.io.stderr, label, total) : silentProgress;
  }

  /** Whether a question can be asked (stdin and stderr are a terminal). */
  get interactive(): boolean {
    return this.io.stdin.isTTY === true && this.io.stderr.isTTY === true;
  }

  /** Asks a yes/no question on the terminal; anything but y/yes is no. */
  async confirm(question: string): Promise<boolean> {
    // Loaded here: only `rm` on a terminal asks.
    const { createInterface } = await import('node:readline/promises');
    const prompt = createInterface({ input: this.io.stdin, output: this.io.stderr });
    try {
      const answer = await prompt.question(`${printable(question, false)} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  }
}
