// The receiver's out-of-order queue: disjoint, sorted byte ranges that arrived ahead of rcv_nxt,
// merged as they touch (Linux keeps an rbtree of skbs and coalesces them, tcp_data_queue_ofo).
// Insertion is a binary search plus a splice over the ranges it overlaps, so a queue of n holes
// costs O(log n) to find the place; the ranges stay few because neighbours merge, and the queue is
// capped (the caller drops a segment that would make it longer; the sender retransmits it).

export class OutOfOrderQueue {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Charged memory per range (the receive buffer's accounting; 0 when not tracked). */
  private readonly charges: number[] = [];

  constructor(readonly maxRanges: number) {}

  get length(): number {
    return this.starts.length;
  }

  /** Total charge of every range. */
  get charged(): number {
    let sum = 0;
    for (const c of this.charges) sum += c;
    return sum;
  }

  /** First index whose range ends at or after `offset` (ranges are sorted and disjoint). */
  private lowerBound(offset: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds [start, end); returns false (nothing stored) if it would need a range past the cap. */
  insert(start: number, end: number, charge: number): boolean {
    if (end <= start) return true;
    const i = this.lowerBound(start); // first range that touches or follows `start`
    let j = i;
    let s = start;
    let e = end;
    let c = charge;
    while (j < this.starts.length && this.starts[j] <= e) {
      s = Math.min(s, this.starts[j]);
      e = Math.max(e, this.ends[j]);
      c += this.charges[j];
      j++;
    }
    if (j === i && this.starts.length >= this.maxRanges) return false;
    this.starts.splice(i, j - i, s);
    this.ends.splice(i, j - i, e);
    this.charges.splice(i, j - i, c);
    return true;
  }

  /**
   * Removes the ranges that start at or before `rcvNxt`; returns the new rcv_nxt and, through
   * `onMerged(end, charge, extends)`, each removed range (extends = false: all of it was a duplicate).
   */
  drain(rcvNxt: number, onMerged?: (end: number, charge: number, extendsData: boolean) => void): number {
    let n = 0;
    let next = rcvNxt;
    while (n < this.starts.length && this.starts[n] <= next) {
      const extends_ = this.ends[n] > next;
      if (extends_) next = this.ends[n];
      onMerged?.(next, this.charges[n], extends_);
      n++;
    }
    if (n > 0) {
      this.starts.splice(0, n);
      this.ends.splice(0, n);
      this.charges.splice(0, n);
    }
    return next;
  }

  /** tcp_prune_ofo_queue: forget everything. */
  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.charges.length = 0;
  }
}
