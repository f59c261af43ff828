// Linux's send queue as sk_buffs: what the kernel charges against SO_SNDBUF and how small writes
// coalesce. Only the linux profile uses it (profiles.ts `sendBufferModel: 'linux'`).
//
// tcp_sendmsg_locked() appends a write to the tail skb of the write queue while that skb is unsent
// and shorter than the size goal (tcp_xmit_size_goal: up to sk_gso_max_size, bounded by half the
// peer's largest window), with no SO_SNDBUF check at all; only a new skb needs room
// (sk_stream_memory_free: sk_wmem_queued < sk_sndbuf). sk_wmem_queued is the truesize of every skb
// not yet ACKed: its payload plus a fixed overhead (struct sk_buff, skb_shared_info and the small
// head tcp_stream_alloc_skb() allocates). So a buffer of 8 KB holds ten 60-byte records sent one
// skb each (TCP_NODELAY), but a single tail skb may grow to 64 KB of records while Nagle holds it.

/** A FIFO of numbers with O(1) push/shift and no per-element allocation. */
export class NumberQueue {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(i: number): number {
    return this.items[this.head + i];
  }

  get last(): number {
    return this.items[this.items.length - 1];
  }

  set last(v: number) {
    this.items[this.items.length - 1] = v;
  }

  /** Index of the first element greater than `v` (elements are ascending), or length. */
  firstGreater(v: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid] > v) hi = mid;
      else lo = mid + 1;
    }
    return lo - this.head;
  }

  push(v: number): void {
    this.items.push(v);
  }

  shift(): number {
    const v = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }
}

export class SkbQueue {
  /** End offsets of skbs that have been (at least partly) transmitted and are not fully ACKed: the rtx queue. */
  private readonly sent = new NumberQueue();
  /** End offsets of skbs not transmitted at all: the write queue. */
  private readonly unsent = new NumberQueue();
  /** Where the write queue starts (the end of the last sent skb). */
  private unsentStart = 0;

  constructor(readonly overhead: number) {}

  /** Number of skbs holding data not yet ACKed. */
  get count(): number {
    return this.sent.length + this.unsent.length;
  }

  /** sk_wmem_queued: payload not yet ACKed plus each skb's overhead. */
  wmemQueued(sndUna: number, writeEnd: number): number {
    return writeEnd - sndUna + this.overhead * this.count;
  }

  /** Bytes the unsent tail skb can still take before it reaches `sizeGoal` (0: a new skb is needed). */
  tailRoom(sizeGoal: number): number {
    if (this.unsent.length === 0) return 0;
    const start = this.unsent.length > 1 ? this.unsent.at(this.unsent.length - 2) : this.unsentStart;
    return Math.max(0, sizeGoal - (this.unsent.last - start));
  }

  /** tcp_stream_alloc_skb + tcp_skb_entail: a new, empty tail skb starting at `offset`. */
  newSkb(offset: number): void {
    if (this.unsent.length === 0) this.unsentStart = offset;
    this.unsent.push(offset);
  }

  /** skb_copy_to_page_nocache: `bytes` more in the tail skb. */
  append(bytes: number): void {
    this.unsent.last = this.unsent.last + bytes;
  }

  /** End of the skb that holds `offset` (segments never span two skbs), or Infinity past the data. */
  skbEndAfter(offset: number): number {
    const queue = offset >= this.unsentStart ? this.unsent : this.sent;
    const i = queue.firstGreater(offset);
    return i < queue.length ? queue.at(i) : queue === this.sent && this.unsent.length > 0 ? this.unsent.at(0) : Infinity;
  }

  /** Start of the skb that holds `offset` (`sndUna` for the oldest one). */
  skbStartOf(offset: number, sndUna: number): number {
    if (offset >= this.unsentStart && this.unsent.length > 0) {
      const i = this.unsent.firstGreater(offset);
      return i === 0 ? this.unsentStart : this.unsent.at(i - 1);
    }
    const i = this.sent.firstGreater(offset);
    return i === 0 ? sndUna : this.sent.at(i - 1);
  }

  /**
   * After a burst of transmissions reached `sndMax`: skbs sent whole move to the rtx queue; one sent
   * only in part is split there, the rest becoming a new skb with its own overhead (tso_fragment /
   * tcp_fragment).
   */
  transmittedTo(sndMax: number): void {
    while (this.unsent.length > 0 && this.unsent.at(0) <= sndMax) {
      this.unsentStart = this.unsent.shift();
      this.sent.push(this.unsentStart);
    }
    if (this.unsent.length > 0 && this.unsentStart < sndMax) {
      this.sent.push(sndMax);
      this.unsentStart = sndMax;
    }
  }

  /** tcp_clean_rtx_queue: skbs wholly ACKed are freed (a partly ACKed one keeps its overhead). */
  acked(sndUna: number): void {
    while (this.sent.length > 0 && this.sent.at(0) <= sndUna) this.sent.shift();
  }
}
