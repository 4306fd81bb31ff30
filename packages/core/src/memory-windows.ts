/**
 * The memory that the views and buffers met in one value show, by buffer (pure): which of
 * those met before a new one overlaps — `[bytes, bytes.buffer]`, two `subarray`s of one array —
 * where a write through one shows through the other.
 *
 * Windows that overlap, directly or through others, form a group, whose memory is one stretch
 * of the buffer; the groups of a buffer never overlap one another. A new window is told the
 * first window met of each group it overlaps, and joins them into one group. Where each window
 * lies from its group's first is then known for every window that overlapped another, which
 * is all that tells overlapping windows from copies. Views of disjoint parts of one buffer, as
 * small Buffers share Node's pool, each make a group of their own and overlap none.
 */

/** A view or buffer met (`holder`), where it starts in its buffer's memory, and how many of the buffer's came first. */
export interface MemoryWindow<Holder> {
  readonly holder: Holder;
  readonly start: number;
  readonly order: number;
}

/** Windows that overlap, directly or through others: the memory from `low` up to `high`, and the first met. */
interface Group<Holder> {
  readonly low: number;
  readonly high: number;
  readonly first: MemoryWindow<Holder>;
}

const NONE: readonly never[] = [];

/** Fewer groups made out of order than this are searched one by one before they are sorted in. */
const FEW_PENDING = 16;

const byStart = (a: Group<unknown>, b: Group<unknown>) => a.low - b.low;
const byOrder = (a: MemoryWindow<unknown>, b: MemoryWindow<unknown>) => a.order - b.order;

/** The first of `sorted` (disjoint groups by start) ending after `start`; `sorted.length` when none does. */
function firstEndingAfter<Holder>(sorted: readonly Group<Holder>[], start: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle].high > start) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Merges `b` (by start) into `a` (by start), in place: from the end, so nothing is moved twice. */
function mergeInto<Holder>(a: Group<Holder>[], b: readonly Group<Holder>[]): void {
  let i = a.length - 1;
  let j = b.length - 1;
  let at = a.length + b.length - 1;
  a.length = at + 1;
  while (j >= 0) a[at--] = i >= 0 && a[i].low > b[j].low ? a[i--] : b[j--];
}

/** The groups of one buffer in which more than one window was met. */
class BufferGroups<Holder> {
  /** Groups by start, and so by end. */
  private readonly sorted: Group<Holder>[];
  /** Groups made out of order since `sorted` was last merged with them. */
  private pending: Group<Holder>[] = [];
  /** Where the group ending furthest ends. */
  private high: number;
  /** How many windows were met. */
  count = 1;

  constructor(first: Group<Holder>) {
    this.sorted = [first];
    this.high = first.high;
  }

  /** The first window of each group that `[start, end)` overlaps, in the order met; joined into one when `keep`. */
  meet(holder: Holder, start: number, end: number, keep: boolean): readonly MemoryWindow<Holder>[] {
    const window = { holder, start, order: this.count };
    if (keep) this.count++;
    // The commonest case, a buffer's views met in order: past every window met.
    if (start >= this.high) {
      if (keep) {
        this.sorted.push({ low: start, high: end, first: window });
        this.high = end;
      }
      return NONE;
    }
    const sorted = this.sorted;
    const from = firstEndingAfter(sorted, start);
    let to = from;
    while (to < sorted.length && sorted[to].low < end) to++;
    let touchedPending: Group<Holder>[] | undefined;
    for (const group of this.pending) if (group.low < end && group.high > start) (touchedPending ??= []).push(group);
    if (to === from && touchedPending === undefined) {
      if (keep) this.addPending({ low: start, high: end, first: window });
      return NONE;
    }
    const touched = touchedPending ? [...sorted.slice(from, to), ...touchedPending] : sorted.slice(from, to);
    if (keep) {
      // No group the touched ones do not hold lies between them: the group they make takes their place.
      let [low, high, first] = [start, end, window as MemoryWindow<Holder>];
      for (const other of touched) {
        if (other.low < low) low = other.low;
        if (other.high > high) high = other.high;
        if (other.first.order < first.order) first = other.first;
      }
      const group = { low, high, first };
      if (touchedPending) this.pending = this.pending.filter((known) => !touchedPending.includes(known));
      if (to > from) sorted.splice(from, to - from, group);
      else this.addPending(group);
      this.high = Math.max(this.high, high);
    }
    return touched.map((group) => group.first).sort(byOrder);
  }

  private addPending(group: Group<Holder>): void {
    const pending = this.pending;
    pending.push(group);
    if (pending.length > FEW_PENDING && pending.length ** 2 > this.sorted.length) {
      mergeInto(this.sorted, pending.sort(byStart));
      this.pending = [];
    }
    this.high = Math.max(this.high, group.high);
  }
}

export class MemoryWindows<Holder> {
  /** By buffer: the group of its one window met, or its groups once more were met. */
  private readonly buffers = new Map<object, Group<Holder> | BufferGroups<Holder>>();

  /**
   * The first window met of each group of windows met before that `holder`'s, `[start, end)` of `buffer`,
   * overlaps, in the order met; `holder`'s is kept for the next look-ups when `keep` says so. An empty
   * window shares no memory.
   */
  meet(buffer: object, holder: Holder, start: number, end: number, keep: boolean): readonly MemoryWindow<Holder>[] {
    if (start >= end) return NONE;
    const known = this.buffers.get(buffer);
    if (known === undefined) {
      if (keep) this.buffers.set(buffer, { low: start, high: end, first: { holder, start, order: 0 } });
      return NONE;
    }
    if (known instanceof BufferGroups) return known.meet(holder, start, end, keep);
    if (!keep) return known.low < end && known.high > start ? [known.first] : NONE;
    const groups = new BufferGroups(known);
    this.buffers.set(buffer, groups);
    return groups.meet(holder, start, end, keep);
  }
}
