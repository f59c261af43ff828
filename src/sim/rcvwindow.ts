// The receiving half's buffer and the window it advertises, per OS family. TcpEndpoint asks its
// ReceiveWindow whether an arriving segment may be queued and what window to put in each ACK.
//
// linux (LinuxReceiveWindow): SO_RCVBUF is doubled; every queued skb is charged its truesize, not
// its payload; the window is the free buffer scaled by the payload/truesize ratio seen on arriving
// segments (tcp_win_from_space); the window scale is fixed by the SYN from the buffer at that moment;
// an in-order segment that does not fit while data is queued is dropped and the next ACK retracts
// the window to zero (tcp_data_queue, tcp_select_window: ICSK_ACK_NOMEM); unset buffers grow with
// the data the application reads per round trip (tcp_rcv_space_adjust).
// bsd (ByteReceiveWindow, macOS and Windows): bytes are bytes, the window is the free buffer with
// receiver silly-window avoidance, and the right edge never moves back (RFC 1122 4.2.2.16), so
// every in-window segment is queued even past a buffer that shrank after the handshake.
import type { TcpProfile } from './profiles';

/** How an arriving in-window segment is handled. */
export type Admission = 'queue' | 'drop';

export interface ReceiveWindowState {
  rcvNxt: number;
  readOffset: number;
  /** rcv_wup + rcv_wnd: the right edge the last ACK advertised. */
  advertisedEdge: number;
  /** icsk_ack.rcv_mss: the receiver's estimate of the peer's segment size. */
  rcvMss: number;
  now: number;
}

export interface ReceiveWindow {
  /** Window scale this side announced in its SYN (fixed for the connection). */
  readonly wscale: number;
  /** The window in the SYN / SYN-ACK (unscaled: at most 65535). */
  readonly initialWindow: number;
  /** Bytes of receive buffer now (sk_rcvbuf, or the BSD high-water mark). */
  readonly bufferBytes: number;
  /** Linux accepts a whole segment that starts inside the window; BSD trims it at the right edge. */
  readonly acceptsPastEdge: boolean;
  /** Whether admit/queued/merged/read do anything (Linux's memory accounting); BSD's do not. */
  readonly tracksMemory: boolean;
  /** A data segment is about to be queued in order (ofo = false) or out of order. */
  admit(len: number, ofo: boolean, st: ReceiveWindowState): Admission;
  /** It was queued; `end` is the stream offset just past it. */
  queued(end: number, len: number, ofo: boolean, st: ReceiveWindowState): void;
  /** Out-of-order data became in order up to `end` (extendsData = false: it was all duplicate). */
  merged(end: number, charge: number, extendsData: boolean): void;
  /** The truesize charged for a segment of `len` bytes (0 where memory is not tracked). */
  chargeOf(len: number): number;
  /** The application read up to st.readOffset. */
  read(st: ReceiveWindowState, rttMs: number): void;
  /** The right edge an ACK sent now advertises (never left of the current one unless retracting). */
  selectEdge(st: ReceiveWindowState): number;
  /** The edge was advertised: clears a pending retraction. */
  advertised(): void;
  /** The next ACK retracts the window (Linux after a drop for lack of memory). */
  readonly pendingRetraction: boolean;
  /** admit() pruned the out-of-order queue: the endpoint must forget those segments (then reset it). */
  ofoDropped: boolean;
  /** The clamp the "window update after a read" rule compares against (tcp_cleanup_rbuf: window_clamp). */
  readonly updateClamp: number;
}

/**
 * The truesize Linux charges for an arriving segment of `len` payload bytes. On an Ethernet-sized
 * link the driver puts each packet in one kmalloc'ed head rounded up to a power of two (tun,
 * e1000): headers, NET_SKB_PAD and skb_shared_info included, plus struct sk_buff: 2304 for a
 * 1448-byte segment (the harness's TUN link: scaling_ratio 160/256, a 4 KB SO_RCVBUF advertising
 * 5120). On a loopback-sized MTU the receiver gets the sender's own skb: its payload in page
 * fragments plus one skb's overhead.
 */
export function linuxRxTruesize(linkMss: number, p: TcpProfile): (len: number) => number {
  if (linkMss > 16_384) return (len) => len + p.skbOverhead;
  // The next power of two at or above the head size (Math.clz32: no floating-point log per segment).
  return (len) => (1 << (32 - Math.clz32(len + 52 + 14 + 64 + 320 - 1))) + 256;
}

const roundDown = (v: number, to: number) => (to === 1 ? Math.floor(v) : Math.floor(v / to) * to);
const alignUp = (v: number, to: number) => (to === 1 ? Math.ceil(v) : Math.ceil(v / to) * to);
const ilog2 = (v: number) => (v <= 0 ? 0 : Math.floor(Math.log2(v)));
const MAX_TCP_WSCALE = 14;

/** The Linux receive buffer: include/net/tcp.h, net/ipv4/tcp_input.c, tcp_output.c. */
export class LinuxReceiveWindow implements ReceiveWindow {
  readonly wscale: number;
  readonly initialWindow: number;
  readonly acceptsPastEdge = true;
  readonly tracksMemory = true;
  /** sk_rcvbuf */
  bufferBytes: number;
  /** sk_rmem_alloc: the truesize of everything queued (in order and out of order). */
  private rmem = 0;
  /** End offsets and truesizes of queued in-order skbs not yet fully read. */
  private readonly unreadEnds: number[] = [];
  private readonly unreadTruesize: number[] = [];
  private unreadHead = 0;
  /** Truesize of out-of-order data (freed by tcp_prune_ofo_queue, or moved in order). */
  private ofoTruesize = 0;
  /** tp->scaling_ratio: payload per 256 bytes of truesize (TCP_DEFAULT_SCALING_RATIO = 128 until measured). */
  private ratio = 128;
  private windowClamp: number;
  private rcvSsthresh: number;
  private nomem = false;
  /** 1 << wscale: the granularity of the advertised window. */
  private readonly unit: number;
  /** rcvq_space (tcp_rcv_space_adjust): bytes read in the last measured round trip, and since when. */
  private space: number;
  private spaceSeq = 0;
  private spaceTime = 0;

  constructor(
    private readonly p: TcpProfile,
    /** SO_RCVBUF as the application passed it, or null (autotuned). */
    requested: number | null,
    /** Set before connect()/listen() (the SYN saw it) rather than after the handshake. */
    beforeSyn: boolean,
    private readonly advmss: number,
    /** The payload / truesize of one arriving segment of `len` bytes (see truesizeOf). */
    private readonly truesizeOf: (len: number) => number,
  ) {
    // sock_setsockopt(SO_RCVBUF): val * 2, at least SOCK_MIN_RCVBUF.
    const setBuffer = requested === null ? null : Math.max(p.rcvbufMin, Math.min(requested, p.rmemMax) * p.bufferSetScale);
    // The buffer the SYN is computed from: the one set before it, else the default (tcp_rmem[1]).
    const synBuffer = beforeSyn && setBuffer !== null ? setBuffer : p.rcvbufInit;
    const fullSpace = this.winFromSpace(synBuffer);
    // tcp_connect_init / tcp_openreq_init_rwin: a buffer the user locked before the SYN clamps the window.
    let clamp = beforeSyn && setBuffer !== null ? fullSpace : 65535 << MAX_TCP_WSCALE;
    // tcp_select_initial_window
    let space = Math.min(clamp, fullSpace);
    if (space > advmss) space = roundDown(space, advmss);
    const rcvWnd = Math.min(space, 65535);
    const scaleSpace = Math.min(Math.max(space, p.autoRcvbufMax), clamp);
    this.wscale = Math.min(MAX_TCP_WSCALE, Math.max(0, ilog2(scaleSpace) - 15));
    this.unit = 1 << this.wscale;
    clamp = Math.min(65535 * this.unit, clamp);
    // tcp_init_buffer_space: the clamp follows the buffer the connection starts with.
    this.windowClamp = Math.min(clamp, fullSpace);
    this.initialWindow = rcvWnd;
    this.rcvSsthresh = Math.min(rcvWnd, this.windowClamp);
    this.space = Math.min(rcvWnd, 10 * advmss);
    // After accept()/connect() the application's SO_RCVBUF replaces the buffer; the window already
    // offered stays (it is never shrunk) and the clamp follows at the next ratio measurement.
    this.bufferBytes = setBuffer ?? p.rcvbufInit;
    this.locked = setBuffer !== null;
  }

  private readonly locked: boolean;

  get pendingRetraction(): boolean {
    return this.nomem;
  }

  /** __tcp_win_from_space */
  private winFromSpace(space: number): number {
    return Math.floor((space * this.ratio) / 256);
  }

  /** tcp_space: window worth of the free buffer (negative when overcommitted). */
  private freeSpace(): number {
    return this.winFromSpace(this.bufferBytes - this.rmem);
  }

  chargeOf(len: number): number {
    return this.truesize(len);
  }

  /** truesizeOf with a one-entry memo: a run's segments are mostly the same size. */
  private truesize(len: number): number {
    if (len !== this.memoLen) {
      this.memoLen = len;
      this.memoTruesize = this.truesizeOf(len);
    }
    return this.memoTruesize;
  }

  private memoLen = -1;
  private memoTruesize = 0;

  get updateClamp(): number {
    return this.windowClamp;
  }

  admit(len: number, ofo: boolean, st: ReceiveWindowState): Admission {
    this.version++;
    const truesize = this.truesize(len);
    // tcp_measure_rcv_mss: the payload/truesize ratio of a full-sized segment sets the scaling.
    if (!ofo && len >= st.rcvMss && len !== st.rcvMss) {
      const ratio = Math.max(1, Math.min(255, Math.floor((len * 256) / truesize)));
      if (ratio !== this.ratio) {
        this.ratio = ratio;
        this.windowClamp = this.winFromSpace(this.bufferBytes);
      }
    }
    // tcp_try_rmem_schedule -> tcp_can_ingest (rmem + len <= rcvbuf), else tcp_prune_queue.
    if (this.rmem + len <= this.bufferBytes) return 'queue';
    this.clampWindow();
    if (this.ofoTruesize > 0) {
      // tcp_prune_ofo_queue: the endpoint drops its out-of-order data (see dropOutOfOrder).
      this.ofoDropped = true;
      this.rmem -= this.ofoTruesize;
      this.ofoTruesize = 0;
      if (this.rmem + len <= this.bufferBytes) return 'queue';
    }
    if (ofo) return 'drop'; // tcp_data_queue_ofo: dropped, no window change
    // tcp_data_queue: with data queued, drop and advertise a zero window at once (ICSK_ACK_NOMEM);
    // with an empty queue the segment is taken anyway (sk_forced_mem_schedule).
    if (this.unreadHead < this.unreadEnds.length) {
      this.nomem = true;
      return 'drop';
    }
    return 'queue';
  }

  /** Set when admit() pruned the out-of-order queue: the endpoint must forget those segments. */
  ofoDropped = false;

  /** tcp_clamp_window: grow an unlocked buffer to what is allocated; else stop the window growing. */
  private clampWindow(): void {
    if (!this.locked && this.bufferBytes < this.p.autoRcvbufMax) {
      this.bufferBytes = Math.max(this.bufferBytes, Math.min(this.rmem, this.p.autoRcvbufMax));
    }
    if (this.rmem > this.bufferBytes) this.rcvSsthresh = Math.min(this.windowClamp, 2 * this.advmss);
  }

  queued(end: number, len: number, ofo: boolean, _st: ReceiveWindowState): void {
    this.version++;
    const truesize = this.truesize(len);
    this.rmem += truesize;
    if (ofo) {
      this.ofoTruesize += truesize;
      return;
    }
    this.unreadEnds.push(end);
    this.unreadTruesize.push(truesize);
    // tcp_event_data_recv -> tcp_grow_window (segments of at least 128 bytes)
    if (len >= 128) {
      const room = Math.min(this.windowClamp, this.freeSpace()) - this.rcvSsthresh;
      if (room > 0 && this.winFromSpace(truesize) <= len) {
        this.rcvSsthresh += Math.min(room, Math.max(2 * this.advmss, 2 * len));
      }
    }
  }

  merged(end: number, truesize: number, extendsData: boolean): void {
    this.version++;
    this.ofoTruesize = Math.max(0, this.ofoTruesize - truesize);
    if (!extendsData) {
      this.rmem -= truesize; // tcp_ofo_queue drops what rcv_nxt already covers
      return;
    }
    this.unreadEnds.push(end);
    this.unreadTruesize.push(truesize);
  }

  read(st: ReceiveWindowState, rttMs: number): void {
    this.version++;
    // tcp_recvmsg frees each skb once all of it is read (tcp_eat_recv_skb).
    while (this.unreadHead < this.unreadEnds.length && this.unreadEnds[this.unreadHead] <= st.readOffset) {
      this.rmem -= this.unreadTruesize[this.unreadHead++];
    }
    if (this.unreadHead > 1024 && this.unreadHead * 2 > this.unreadEnds.length) {
      this.unreadEnds.splice(0, this.unreadHead);
      this.unreadTruesize.splice(0, this.unreadHead);
      this.unreadHead = 0;
    }
    this.spaceAdjust(st, rttMs);
  }

  /** tcp_rcv_space_adjust: an unset buffer grows to twice (and more in slow start) what was read per round trip. */
  private spaceAdjust(st: ReceiveWindowState, rttMs: number): void {
    if (st.now - this.spaceTime < rttMs || rttMs <= 0) return;
    const copied = st.readOffset - this.spaceSeq;
    if (copied > this.space) {
      if (!this.locked) {
        let rcvwin = 2 * copied + 16 * this.advmss;
        rcvwin += 2 * Math.floor((rcvwin * (copied - this.space)) / this.space);
        const rcvbuf = Math.min(Math.floor((rcvwin * 256) / this.ratio), this.p.autoRcvbufMax);
        if (rcvbuf > this.bufferBytes) {
          this.bufferBytes = rcvbuf;
          this.windowClamp = this.winFromSpace(rcvbuf);
        }
      }
      this.space = copied;
    }
    this.spaceSeq = st.readOffset;
    this.spaceTime = st.now;
  }

  /** Bumped on every change of the buffer's state, so selectEdge can reuse its last answer. */
  private version = 0;
  private cachedVersion = -1;
  private cachedRcvNxt = -1;
  private cachedReadOffset = -1;
  private cachedEdge = -1;
  private cachedRcvMss = -1;
  private cachedResult = 0;

  selectEdge(st: ReceiveWindowState): number {
    // tcp_select_window: a failed queueing (NOMEM) advertises a zero window, retracting the edge.
    if (this.nomem) return st.rcvNxt;
    if (this.cachedVersion === this.version && this.cachedRcvNxt === st.rcvNxt && this.cachedReadOffset === st.readOffset &&
        this.cachedEdge === st.advertisedEdge && this.cachedRcvMss === st.rcvMss) return this.cachedResult;
    this.cachedVersion = this.version;
    this.cachedRcvNxt = st.rcvNxt;
    this.cachedReadOffset = st.readOffset;
    this.cachedEdge = st.advertisedEdge;
    this.cachedRcvMss = st.rcvMss;
    this.cachedResult = this.computeEdge(st);
    return this.cachedResult;
  }

  private computeEdge(st: ReceiveWindowState): number {
    const unit = this.unit;
    const curWin = Math.max(0, st.advertisedEdge - st.rcvNxt);
    let win = this.selectWindow(st, curWin);
    win = Math.min(win, 65535 * unit);
    if (win < curWin) win = alignUp(curWin, unit); // never shrink the offered window
    win = roundDown(win, unit); // the peer sees (win >> wscale) << wscale
    return st.rcvNxt + win;
  }

  /** __tcp_select_window */
  private selectWindow(st: ReceiveWindowState, curWin: number): number {
    let mss = st.rcvMss;
    let free = this.freeSpace();
    const allowed = this.winFromSpace(this.bufferBytes);
    const full = Math.min(this.windowClamp, allowed);
    const unit = this.unit;
    if (mss > full) {
      mss = full;
      if (mss <= 0) return 0;
    }
    if (free < full / 2) {
      free = roundDown(free, unit);
      if (free < allowed / 16 || free < mss) return 0;
    }
    if (free > this.rcvSsthresh) free = this.rcvSsthresh;
    if (this.wscale > 0) return alignUp(free, unit);
    let window = curWin;
    if (window <= free - mss || window > free) window = roundDown(free, mss);
    else if (mss === full && free > window + full / 2) window = free;
    return window;
  }

  advertised(): void {
    this.nomem = false;
  }
}

/** BSD-style (macOS, and Windows as far as documented): byte accounting, no retraction. */
export class ByteReceiveWindow implements ReceiveWindow {
  readonly wscale: number;
  readonly initialWindow: number;
  readonly acceptsPastEdge = false;
  readonly tracksMemory = false;
  readonly pendingRetraction = false;

  constructor(
    /** The buffer now (after an after-accept SO_RCVBUF, the new one). */
    readonly bufferBytes: number,
    /** A buffer the application set before the SYN, or null (the OS's own buffers). */
    setBeforeSyn: number | null,
    /** The scale the OS offers for its own (autotuned) buffers. */
    osWindowScale: number,
    private readonly mss: number,
  ) {
    let scale = osWindowScale;
    if (setBeforeSyn !== null) {
      // tcp_mss / request_r_scale: the smallest scale that lets 65535 << scale cover the buffer.
      scale = 0;
      while (scale < MAX_TCP_WSCALE && 65535 * 2 ** scale < setBeforeSyn) scale++;
    }
    this.wscale = scale;
    this.initialWindow = Math.min(bufferBytes, 65535);
    this.clamp = 65535 * 2 ** scale;
    this.cap = Math.min(bufferBytes, this.clamp);
    this.swsFloor = Math.min(this.cap / 2, mss);
  }

  private readonly clamp: number;
  private readonly cap: number;
  private readonly swsFloor: number;

  ofoDropped = false;

  get updateClamp(): number {
    return Math.min(this.bufferBytes, this.clamp);
  }

  admit(): Admission {
    return 'queue';
  }

  queued(): void {}

  merged(): void {}

  chargeOf(): number {
    return 0;
  }

  read(): void {}

  selectEdge(st: ReceiveWindowState): number {
    return this.edgeFor(st.rcvNxt, st.readOffset, st.advertisedEdge);
  }

  edgeFor(rcvNxt: number, readOffset: number, advertisedEdge: number): number {
    const cap = this.cap;
    let free = cap - (rcvNxt - readOffset);
    if (free < this.swsFloor) free = 0; // receiver SWS avoidance (RFC 1122 4.2.3.3)
    const edge = rcvNxt + (free > 0 ? free : 0);
    return edge > advertisedEdge ? edge : advertisedEdge;
  }

  advertised(): void {}
}
