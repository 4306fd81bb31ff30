/**
 * Where `memorious(...)` was called, read from a structured stack trace at wrap
 * time: the file of the wrapped function, for following its dependencies.
 */

export interface DefinitionSite {
  /** File path or URL of the module that called `memorious`, when it has one. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** The first stack frame outside `below` (the library's own entry point). */
export function captureSite(below: Function): DefinitionSite {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.captureStackTrace(holder, below);
    const frame = holder.stack?.[0];
    const file = frame?.getFileName() ?? undefined;
    if (!frame || !file) return {};
    return { file, line: frame.getLineNumber() ?? undefined, column: frame.getColumnNumber() ?? undefined };
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  }
}
