/**
 * FUNES_LOG and FUNES_VERBOSE: one concise line per call event on stderr, for watching a
 * sweep run (`FUNES_LOG=hits,misses node sweep.mjs`).
 */
import { InvalidUsageError } from './errors.js';
import type { CallEvent, EventListener, FunesEvent } from './events.js';

type CallEventType = CallEvent['type'];

/** The words FUNES_LOG takes, singular or plural, and the event types they select. */
const WORDS: Readonly<Record<string, readonly CallEventType[]>> = {
  hit: ['hit'],
  miss: ['miss'],
  store: ['store'],
  'lock-wait': ['lock-wait'],
  all: ['hit', 'miss', 'store', 'lock-wait'],
};

/** The event types the environment asks to print: FUNES_LOG's list, or all with FUNES_VERBOSE=1. */
export function loggedTypes(env: NodeJS.ProcessEnv = process.env): ReadonlySet<CallEventType> {
  const types = new Set<CallEventType>();
  if (/^(1|true)$/i.test(env.FUNES_VERBOSE ?? '')) WORDS.all.forEach((type) => types.add(type));
  for (const word of (env.FUNES_LOG ?? '').split(',')) {
    const trimmed = word.trim().toLowerCase();
    if (trimmed === '') continue;
    const selected = WORDS[trimmed] ?? WORDS[trimmed.replace(/s$/, '')] ?? WORDS[trimmed.replace(/es$/, '')];
    if (!selected) {
      throw new InvalidUsageError(
        `FUNES_LOG has '${word}': list some of hits, misses, stores, lock-waits (or all), e.g. FUNES_LOG=hits,misses`,
      );
    }
    selected.forEach((type) => types.add(type));
  }
  return types;
}

/** The option's listener, joined by the stderr log the environment asks for. */
export function withLog(
  listener: EventListener | undefined,
  env: NodeJS.ProcessEnv = process.env,
): EventListener | undefined {
  const types = loggedTypes(env);
  if (types.size === 0) return listener;
  const log = (event: FunesEvent) => {
    if (types.has(event.type as CallEventType)) process.stderr.write(`${logLine(event as CallEvent)}\n`);
  };
  return listener ? (event) => (listener(event), log(event)) : log;
}

/** `funes: hit   train(lr=0.1, epochs=10) 0.04 ms [3f2a1b0c/9e8d7c6b]` */
export function logLine(event: CallEvent): string {
  const call = `${event.function}(${briefInput(event.input)})`;
  const where = `[${event.version.slice(0, 8)}/${event.argumentHash.slice(0, 8)}]`;
  switch (event.type) {
    case 'hit':
      return `funes: hit   ${call} ${duration(event.ms)} ${where}`;
    case 'miss':
      return `funes: miss  ${call}${event.reason === 'absent' ? '' : ` (${event.reason})`} ${where}`;
    case 'store':
      return `funes: store ${call} computed in ${duration(event.ms)} ${where}`;
    case 'lock-wait':
      return `funes: wait  ${call} ${duration(event.ms)} for another process's ` +
          `lock${event.computedElsewhere ? ', then read its result' : ''} ${where}`;
  }
}

function duration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(ms < 60_000 ? 2 : 0)} s`;
}

const MAX_VALUE = 40;
const MAX_INPUT = 120;

/** The named input as `a=1, b="x"`, each value and the whole cut short with `…`. */
export function briefInput(input: Readonly<Record<string, unknown>>): string {
  const text = Object.entries(input)
    .map(([name, value]) => `${name}=${cut(briefValue(value), MAX_VALUE)}`)
    .join(', ');
  return cut(text, MAX_INPUT);
}

function briefValue(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
