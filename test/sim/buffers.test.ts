// Buffer sizes as each kernel applies them: the mechanisms one at a time, each with the number it
// must produce (the comparison with measured Linux is in linux-measured.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, type SimResult } from '../../src/sim/index';
import type { Scenario } from '../../src/common/scenario';

const RTT = 100;
/** 2,000 records of 60 bytes over a 100 ms, 100 Mbit/s path: what limits how many go per round trip. */
const records = (profile: Scenario['profile'], client: Scenario['client']): SimResult =>
  simulate({ profile, link: { rttMs: RTT, bandwidthMbps: 100 }, client, workload: { pattern: 'records', count: 2000, sizeBytes: 60, recvBufferBytes: 200 } }, { traceLimit: 50_000 });
const perRtt = (r: SimResult) => r.messagesPerSecond * (RTT / 1000);

test('Linux SO_SNDBUF 4096 with TCP_NODELAY: the doubled 8 KB holds ten 60-byte skbs of 892 bytes of truesize each', () => {
  // sk_sndbuf = 8192; every record is its own skb charged 60 + 832 bytes; a new skb needs
  // sk_wmem_queued < sk_sndbuf, so at most 10 are unacknowledged: about 8-10 records per round trip.
  const r = records('linux', { sndbuf: 4096, nodelay: true });
  assert.ok(perRtt(r) > 7 && perRtt(r) < 10.5, `${perRtt(r).toFixed(1)} records per round trip`);
  assert.equal(r.segments.data, 2000, 'one segment per record');
  assert.ok(r.buffers.sendBufferWaits > 100, `${r.buffers.sendBufferWaits} send calls waited for room`);
  // Beside the 50 ms of one-way wire time, the send-buffer wait is what a record waits for.
  const { wire, ...waits } = r.causeShare;
  const [top] = Object.entries(waits).sort((a, b) => b[1] - a[1]);
  assert.equal(top[0], 'sendBuffer', `causes ${JSON.stringify(r.causeShare)} (wire ${wire})`);
  // Four times the buffer, four times the records (16384 -> 32768 of truesize).
  const big = records('linux', { sndbuf: 16384, nodelay: true });
  assert.ok(perRtt(big) > 3.2 * perRtt(r) && perRtt(big) < 5 * perRtt(r), `${perRtt(big).toFixed(1)} vs ${perRtt(r).toFixed(1)}`);
});

test('Linux wakes a blocked writer only when a third of the send buffer is free (sk_stream_write_space)', () => {
  const r = records('linux', { sndbuf: 4096, nodelay: true });
  // Send calls return in groups, one group per wake-up; a third of 8192 is 3 skbs or more.
  const done = r.packets.filter((e) => e.kind === 'app-send-done').map((e) => e.t);
  const groups: number[] = [];
  let size = 1;
  for (let i = 1; i < done.length; i++) {
    if (done[i] - done[i - 1] > 1) {
      groups.push(size);
      size = 1;
    } else size++;
  }
  assert.ok(groups.length > 20, `${groups.length} wake-ups`);
  for (const g of groups.slice(1)) assert.ok(g >= 3, `a wake-up let only ${g} calls through: ${groups.join(',')}`);
  const waited = r.packets.find((e) => e.kind === 'app-send-done' && e.note?.includes('waiting for room in the send buffer'));
  assert.ok(waited, 'the trace says the call waited for send-buffer room');
});

test('Linux with Nagle on: small writes grow the unsent tail skb past SO_SNDBUF, up to the 64 KB size goal', () => {
  // Appending to the tail skb needs no room (tcp_sendmsg_locked), so per round trip far more than the
  // 8 KB buffer goes, but not more than one size goal (64 KB) plus what is in flight.
  const r = records('linux', { sndbuf: 4096 });
  const bytesPerRtt = perRtt(r) * 60;
  assert.ok(bytesPerRtt > 16_384 && bytesPerRtt < 2 * 65_536, `${bytesPerRtt.toFixed(0)} bytes per round trip`);
  assert.ok(r.segments.data < 200, `${r.segments.data} segments: the records coalesce`);
});

test('macOS keeps SO_SNDBUF as given (no doubling, bytes not truesize): 4096 bytes is 68 records of 60', () => {
  const r = records('macos', { sndbuf: 4096, nodelay: true });
  assert.ok(perRtt(r) > 30 && perRtt(r) <= 69, `${perRtt(r).toFixed(1)} records per round trip`);
});

/** 2 MB in 64 KB writes over 20 ms, 100 Mbit/s (MSS 1448) to a server with a small SO_RCVBUF. */
const bulk = (profile: Scenario['profile'], server: Scenario['server'], link: Scenario['link'] = { rttMs: 20, bandwidthMbps: 100 }, extra: Partial<Scenario['workload']> = {}) =>
  simulate({ profile, link, server, workload: { pattern: 'bulk', totalBytes: 2_000_000, writeBytes: 65_536, recvBufferBytes: 65_536, ...extra } }, { traceLimit: 50_000 });
const bytesPerRound = (r: SimResult, rttMs: number) => (r.goodputMbps * 1e6 / 8) * (rttMs / 1000);

test('Linux SO_RCVBUF 4096 before listen: window scale 0 at the SYN, the window rounded down to whole segments (2 x 1448)', () => {
  const r = bulk('linux', { rcvbuf: 4096 });
  const perRound = bytesPerRound(r, 20);
  assert.ok(perRound > 2600 && perRound < 3000, `${perRound.toFixed(0)} bytes per round trip`);
  assert.equal(r.segments.droppedByReceiver, 0);
});

test('Linux SO_RCVBUF 4096 after accept: the SYN offered 64 KB, then the window is the free buffer x payload/truesize (5120)', () => {
  const r = bulk('linux', { rcvbuf: 4096, rcvbufAfterAccept: true });
  const before = bulk('linux', { rcvbuf: 4096 });
  // Faster than before listen (the measured 0.24 vs 0.143 MB/s at 20 ms): no MSS rounding
  // with a window scale, and the first 64 KB go at once.
  assert.ok(r.goodputMbps > 1.3 * before.goodputMbps, `${r.goodputMbps} vs ${before.goodputMbps} Mbit/s`);
  const perRound = bytesPerRound(r, 20);
  assert.ok(perRound > 3500 && perRound < 6500, `${perRound.toFixed(0)} bytes per round trip`);
});

test('a buffer shrunk after the handshake: Linux drops what does not fit and retracts its window; macOS and Windows do neither', () => {
  // A 64 KB-MTU loopback-like link, a reader that pauses 1 ms before each recv(): the two 32 KB
  // segments the SYN's window allowed arrive before the first is read.
  const link = { rttMs: 1, bandwidthMbps: 1000, mss: 65_483 };
  const linux = bulk('linux', { rcvbuf: 4096, rcvbufAfterAccept: true }, link, { totalBytes: 300_000, readDelayMs: 1 });
  assert.ok(linux.segments.droppedByReceiver >= 1, 'tcp_data_queue dropped data that did not fit');
  assert.ok(linux.buffers.windowRetractions >= 1, 'and advertised a zero window in place of the offered one');
  assert.ok(linux.timers.rto >= 1, 'the dropped data came back by retransmission timeout');
  assert.ok(linux.timers.persist >= 5, 'a window smaller than one 32 KB segment is filled by zero-window probes only');
  const retraction = linux.packets.find((e) => e.note?.includes('window retracted to 0'));
  assert.ok(retraction && retraction.win === 0 && retraction.from === 'server', 'the trace shows the retracting ACK');
  assert.ok(linux.causeShare.window > 0.9, `waiting for the window: ${linux.causeShare.window}`);
  for (const profile of ['macos', 'windows-modern'] as const) {
    const r = bulk(profile, { rcvbuf: 4096, rcvbufAfterAccept: true }, link, { totalBytes: 300_000, readDelayMs: 1 });
    assert.equal(r.segments.droppedByReceiver, 0, profile);
    assert.equal(r.buffers.windowRetractions, 0, profile);
    assert.ok(r.goodputMbps > 10 * linux.goodputMbps, `${profile}: ${r.goodputMbps} vs Linux ${linux.goodputMbps} Mbit/s`);
  }
});

test('the window scale is fixed at the SYN: SO_RCVBUF raised after accept cannot open more than 64 KB without one', () => {
  // windows-legacy offers no window scale; a 1 MB buffer set after accept still advertises 65535 at most.
  const link = { rttMs: 100, bandwidthMbps: 1000 };
  const after = bulk('windows-legacy', { rcvbuf: 1 << 20, rcvbufAfterAccept: true }, link, { totalBytes: 10_000_000 });
  const before = bulk('windows-legacy', { rcvbuf: 1 << 20 }, link, { totalBytes: 10_000_000 });
  assert.ok(bytesPerRound(after, 100) <= 65_535 * 1.02, `${bytesPerRound(after, 100).toFixed(0)} bytes per round trip`);
  assert.ok(before.goodputMbps > 4 * after.goodputMbps, `${before.goodputMbps} vs ${after.goodputMbps}`);
});

test('Linux receive-buffer autotuning: an unset buffer grows with what the reader takes per round trip', () => {
  // 100 MB over 1 Gbit/s, 80 ms: a fixed 128 KB buffer would allow 1.6 MB/s; autotuning reaches the link's hundreds of Mbit/s.
  const r = simulate({ profile: 'linux', link: { rttMs: 80, bandwidthMbps: 1000 }, workload: { pattern: 'bulk', totalBytes: 100_000_000, writeBytes: 65_536, recvBufferBytes: 65_536 } });
  const fixed = simulate({ profile: 'linux', link: { rttMs: 80, bandwidthMbps: 1000 }, server: { rcvbuf: 65_536 }, workload: { pattern: 'bulk', totalBytes: 10_000_000, writeBytes: 65_536, recvBufferBytes: 65_536 } });
  assert.ok(r.goodputMbps > 150, `${r.goodputMbps} Mbit/s`);
  assert.ok(fixed.goodputMbps < 15, `${fixed.goodputMbps} Mbit/s with SO_RCVBUF 65536`);
});
