// The `linux` profile against real Linux TCP measured by harness/ (harness/results/linux-measured.json:
// kernel 6.18, HZ=250, CUBIC, loopback with a 64 KB MTU and a userspace delay line at RTT 2, 10, 20,
// 50 and 100 ms, 100 Mbit/s, MSS 1448). Tolerances, per case family (see harness/README.md):
//   exchanges (write-write-read, request-response, two-channel), delay line: p50 and p90 within
//     5 % (+1 ms), msg/s within 5 %, the first exchange (quick-ACK) within 5 % + 1 ms
//   records (default buffers, SO_SNDBUF=0, SO_SNDBUF 4 KB / 16 KB with and without TCP_NODELAY),
//     delay line: msg/s within 25 %
//   bulk with default buffers, delay line: throughput within 10 %, p50 within 50 % (the delay line's
//     1000-packet queue drops in slow start, which the simulated link does not)
//   bulk with 64 KB buffers and with SO_RCVBUF 4 KB / 64 KB before listen or after accept, delay
//     line: throughput within 25 %
//   A disturbed case, whose delay line wrote more than 1 % of its packets over 1 ms late (the
//     machine is shared; `delayLine` in each case counts it), only slowed the real transfer: there
//     the prediction may exceed the measured rate or p90 by any amount, but not fall short of them
//     by more than the tolerance. (At RTT 2 ms, records with a 16 KB buffer had 21 % of packets late
//     and measured 100 k to 147 k records/s across four runs of the harness.)
//   loopback: the link is the one measured in the same run (the fastest 1-byte ping-pong less its
//     four calls, and a 256 KB-buffer bulk transfer's rate). Timer-bound write-write-read is
//     compared within 5 %. Bulk with SO_RCVBUF 4 KB before listen is window-bound (a 2 KB MSS, two
//     segments per round trip): within 25 %. After accept it collapses to zero-window probes every
//     ~200 ms: at least 1000 times slower than before listen in both, within a factor of 2 of the
//     measured rate (the kernel itself runs this case in two modes, 3.5 s and 5.8 s for 256 KB).
//     Bulk with 64 KB or larger buffers is bound by memory copies and caches (64 KB buffers outran
//     the 256 KB ones): within a factor of 2. The other patterns are CPU-bound there (a few µs per
//     message), so both sides must only be free of delayed-ACK stalls (p50 under 10 ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simulate, type SimResult } from '../../src/sim/index';
import type { Scenario } from '../../src/common/scenario';

interface MeasuredCase {
  id: string;
  network: 'loopback' | 'delayline';
  scenario: Scenario;
  measured: { messagesPerSecond: number; throughputMbps?: number; latencyMs: { p50: number; p90: number; first: number } };
  /** The delay line's counters over the case: packets forwarded and written late. */
  delayLine?: string;
}
interface Link { network: string; rttMs?: number }
const table = JSON.parse(readFileSync(path.join(__dirname, '../../harness/results/linux-measured.json'), 'utf8')) as { format: number; quick: boolean; links: Link[]; cases: MeasuredCase[] };

const within = (what: string, predicted: number, measured: number, rel: number, abs = 0) => {
  const err = Math.abs(predicted - measured);
  assert.ok(err <= rel * measured + abs, `${what}: predicted ${predicted.toPrecision(4)}, measured ${measured.toPrecision(4)} (allowed ±${(rel * 100).toFixed(0)} %${abs ? ` + ${abs}` : ''})`);
};
/**
 * A disturbed measurement is a lower bound for a rate and an upper bound for a latency: the
 * prediction may lie beyond it, but not short of it by more than the tolerance.
 */
const atLeast = (what: string, predicted: number, measured: number, rel: number, abs = 0) => {
  const latency = what.endsWith(' ms'); // lateness raised the measured latency and lowered the measured rate
  const ok = latency ? predicted <= measured * (1 + rel) + abs : predicted >= measured * (1 - rel) - abs;
  assert.ok(ok, `${what}: predicted ${predicted.toPrecision(4)}, measured ${measured.toPrecision(4)} on a disturbed run (allowed ${latency ? 'below' : 'above'} it, or within ${(rel * 100).toFixed(0)} %${abs ? ` + ${abs}` : ''})`);
};
const factor = (what: string, predicted: number, measured: number, k: number) => {
  assert.ok(predicted <= k * measured && predicted >= measured / k, `${what}: predicted ${predicted.toPrecision(4)}, measured ${measured.toPrecision(4)} (allowed within a factor of ${k})`);
};

test('the measured table is a full run in the known format, with every buffer variant at every RTT', () => {
  assert.equal(table.format, 1);
  assert.equal(table.quick, false);
  const networks = table.links.map((l) => l.network);
  for (const n of ['loopback', 'rtt2', 'rtt10', 'rtt20', 'rtt50', 'rtt100']) assert.ok(networks.includes(n), `network ${n}`);
  const variants = ['records/sndbuf-4k', 'records/sndbuf-4k-nodelay', 'records/sndbuf-16k', 'records/sndbuf-16k-nodelay',
    'bulk/rcvbuf-4k-before-listen', 'bulk/rcvbuf-4k-after-accept', 'bulk/rcvbuf-64k-before-listen', 'bulk/rcvbuf-64k-after-accept'];
  for (const n of networks) for (const v of variants) assert.ok(table.cases.some((c) => c.id === `${n}/${v}`), `${n}/${v} measured`);
});

const family = (c: MeasuredCase) => c.id.split('/').slice(1).join('/');
const throughput = (r: SimResult) => r.goodputMbps;

/** Share of the case's packets the delay line wrote more than 1 ms late (0 without a delay line). */
function lateShare(c: MeasuredCase): number {
  const line = c.delayLine ?? '';
  const sum = (re: RegExp) => [...line.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
  const forwarded = sum(/forwarded (\d+)/g);
  return forwarded > 0 ? sum(/, (\d+) > 1 ms/g) / forwarded : 0;
}

for (const c of table.cases) {
  const f = family(c);
  const m = c.measured;
  if (f === 'link-probe') continue; // it measures the loopback link itself
  if (c.network === 'loopback') {
    test(`loopback ${f}`, () => {
      const r = simulate(c.scenario);
      if (f === 'write-write-read/nagle') {
        within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.05);
        within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.05);
        assert.ok(r.perMessage[0].latencyMs < 1, 'first request is quick-ACKed');
      } else if (f === 'bulk/rcvbuf-4k-before-listen') {
        within('Mbit/s', throughput(r), m.throughputMbps!, 0.25);
      } else if (f === 'bulk/rcvbuf-4k-after-accept') {
        const before = table.cases.find((x) => x.id === 'loopback/bulk/rcvbuf-4k-before-listen')!;
        assert.ok(m.throughputMbps! * 1000 < before.measured.throughputMbps!, 'measured: the collapse');
        assert.ok(throughput(r) * 1000 < throughput(simulate(before.scenario)), 'predicted: the collapse');
        factor('Mbit/s', throughput(r), m.throughputMbps!, 2);
        assert.ok(r.timers.persist > 5, `${r.timers.persist} zero-window probes`);
      } else if (f.startsWith('bulk/') || f === 'link-rate') {
        factor('Mbit/s', throughput(r), m.throughputMbps!, 2);
      } else {
        assert.ok(m.latencyMs.p50 < 10, 'measured: no stall');
        assert.ok(r.latencyMs.p50 < 10, `predicted p50 ${r.latencyMs.p50} ms: no stall either`);
        assert.ok(r.causeShare.delayedAck < 0.5, `delayed-ACK share ${r.causeShare.delayedAck}`);
      }
    });
    continue;
  }
  const disturbed = lateShare(c) > 0.01;
  test(`delay line ${c.id}${disturbed ? ` (disturbed: ${(100 * lateShare(c)).toFixed(1)} % of packets over 1 ms late)` : ''}`, () => {
    const r = simulate(c.scenario);
    const pattern = c.scenario.workload.pattern;
    const rate = disturbed ? atLeast : within;
    if (pattern === 'write-write-read' || pattern === 'request-response' || pattern === 'two-channel') {
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.05, 1);
      rate('p90 ms', r.latencyMs.p90, m.latencyMs.p90, 0.05, 1);
      rate('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.05);
      within('first ms', r.perMessage[0].latencyMs, m.latencyMs.first, 0.05, 1);
    } else if (pattern === 'records') {
      rate('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.25);
    } else if (f === 'bulk/default') {
      rate('Mbit/s', throughput(r), m.throughputMbps!, 0.1);
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.5);
    } else {
      rate('Mbit/s', throughput(r), m.throughputMbps!, 0.25);
    }
  });
}
