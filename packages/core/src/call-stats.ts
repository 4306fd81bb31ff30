/**
 * The counters behind `wrapped.stats()`. A hit only counts its key: the time it saved is
 * the stored record's computation time, read from its metadata when stats() is asked,
 * so the hit path decodes no more than the output.
 */
import { readObjectMetadata, type VersionStore } from './store.js';

/** What a memorious function did in this process. */
export interface MemoriousStats {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that found no usable stored result and computed. */
  readonly misses: number;
  /** Seconds the hits' stored calls took to compute when they were stored: what the cache spared. */
  readonly timeSaved: number;
}

/** Keys counted before their saved time is read in one batch, bounding the memory the counters hold. */
const SETTLE_AT = 100_000;

export class CallStats {
  private hitCount = 0;
  private missCount = 0;
  private settledSeconds = 0;
  /** Hits per key whose saved time is still to be read; one store per wrapped function, kept with them. */
  private pending = new Map<string, number>();
  private pendingStore: VersionStore | undefined;

  hit(store: VersionStore, key: string): void {
    this.hitCount++;
    if (store !== this.pendingStore || this.pending.size >= SETTLE_AT) this.settle(store);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  miss(): void {
    this.missCount++;
  }

  read(): MemoriousStats {
    this.settle(this.pendingStore);
    return { hits: this.hitCount, misses: this.missCount, timeSaved: this.settledSeconds };
  }

  /** Adds the saved time of the pending hits (a record removed meanwhile adds nothing), then counts for `next`. */
  private settle(next: VersionStore | undefined): void {
    const store = this.pendingStore;
    if (store) {
      for (const [key, count] of this.pending) {
        const found = readObjectMetadata(store.objectPath(key));
        if (found.status === 'hit') this.settledSeconds += count * found.record.time;
      }
    }
    this.pending = new Map();
    this.pendingStore = next;
  }
}
