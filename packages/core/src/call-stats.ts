/**
 * The counters behind `wrapped.stats()`. A hit only counts and notes its key (an array
 * push): the time it saved is the stored record's computation time, read from its
 * metadata when stats() is asked, so the hit path decodes no more than the output.
 */
import { readObjectMetadata, type VersionStore } from './store.js';

/** What a memorious function did in this process. */
export interface MemoriousStats {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that found no usable stored result and computed. */
  readonly misses: number;
  /**
   * Seconds the hits' calls took when they were computed: what the cache spared. Past
   * the first 100,000 hits of a process, estimated from theirs.
   */
  readonly timeSaved: number;
}

/** Hits whose keys are kept for timeSaved, bounding the memory the counters hold. */
const NOTED_HITS = 100_000;

export class CallStats {
  private hitCount = 0;
  private missCount = 0;
  /** The keys of the first hits, in the one store they were read from. */
  private readonly noted: string[] = [];
  private store: VersionStore | undefined;
  /** Saved seconds of the noted hits summed so far, and how many of them that covers. */
  private seconds = 0;
  private summed = 0;
  private readonly recordTimes = new Map<string, number>();

  hit(store: VersionStore, key: string): void {
    this.hitCount++;
    if (this.noted.length >= NOTED_HITS) return;
    this.store ??= store;
    if (store === this.store) this.noted.push(key);
  }

  miss(): void {
    this.missCount++;
  }

  read(): MemoriousStats {
    for (; this.summed < this.noted.length; this.summed++) this.seconds += this.recordTime(this.noted[this.summed]);
    const timeSaved = this.summed === 0 ? 0 : (this.seconds * this.hitCount) / this.summed;
    return { hits: this.hitCount, misses: this.missCount, timeSaved };
  }

  /** A stored record's computation time, read once per key; 0 for a record removed meanwhile. */
  private recordTime(key: string): number {
    let time = this.recordTimes.get(key);
    if (time === undefined) {
      const found = readObjectMetadata(this.store!.objectPath(key));
      time = found.status === 'hit' ? found.record.time : 0;
      this.recordTimes.set(key, time);
    }
    return time;
  }
}
