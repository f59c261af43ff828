// The `linux` profile against real Linux TCP measured by harness/ (harness/results/linux-measured.json,
// kernel 6.18, HZ=250, a userspace delay line at RTT 10 and 50 ms, 100 Mbit/s, MSS 1448).
// Tolerances, per case family (see README "Simulator"):
//   exchanges (write-write-read, request-response, two-channel), delay line: p50, p90 and msg/s within 5 %,
//     the first exchange (quick-ACK) within 5 % + 0.2 ms
//   records default/nodelay, delay line: msg/s within 10 %, p50 within 25 %
//   bulk default, delay line: msg/s within 10 %, p50 within 50 % (send-buffer queueing; the delay line's
//     1000-packet queue drops in slow start, which the simulator's link does not)
//   bulk with 64 KB buffers, delay line: msg/s within 15 %, p50 within 10 % (the linux profile's
//     setBufferScale 1.5 for explicitly set buffers was fitted to these two cases: it is a calibration
//     check, not an independent prediction)
//   exchanges also allow 1 ms absolute (the delay line's scheduling jitter shows in p90)
//   loopback: the harness gives no link rate; loopback copies at memory speed, modelled here as a
//     20 Gbit/s link. Only the timer-bound case (write-write-read, Nagle) is compared (p50 and msg/s
//     within 5 %); every other loopback case must be free of delayed-ACK stalls in both (p50 < 10 ms,
//     well under Linux's 40 ms minimum delayed ACK)
//   records with SO_SNDBUF = 0 on the delay line: not compared (known gap: Linux appends to a tail
//     skb beyond the 4608-byte clamp; the simulator under-predicts the rate about 10x)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simulate } from '../../src/sim/index';
import type { Scenario } from '../../src/common/scenario';

interface MeasuredCase {
  id: string;
  network: 'loopback' | 'delayline';
  scenario: Scenario;
  measured: { messagesPerSecond: number; latencyMs: { p50: number; p90: number; first: number } };
}
const table = JSON.parse(readFileSync(path.join(__dirname, '../../harness/results/linux-measured.json'), 'utf8')) as { format: number; quick: boolean; cases: MeasuredCase[] };

const within = (what: string, predicted: number, measured: number, rel: number, abs = 0) => {
  const err = Math.abs(predicted - measured);
  assert.ok(err <= rel * measured + abs, `${what}: predicted ${predicted.toPrecision(4)}, measured ${measured.toPrecision(4)} (allowed ±${(rel * 100).toFixed(0)} %${abs ? ` + ${abs}` : ''})`);
};

test('the measured table is a full run in the known format', () => {
  assert.equal(table.format, 1);
  assert.equal(table.quick, false);
  assert.ok(table.cases.length >= 30, `${table.cases.length} cases`);
});

const family = (c: MeasuredCase) => c.id.split('/').slice(1).join('/');

for (const c of table.cases) {
  const f = family(c);
  const m = c.measured;
  if (c.network === 'loopback') {
    test(`loopback ${f}`, () => {
      const r = simulate({ ...c.scenario, link: { ...c.scenario.link, bandwidthMbps: 20_000 } });
      if (f === 'write-write-read/nagle') {
        within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.05);
        within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.05);
        assert.ok(r.perMessage[0].latencyMs < 1, 'first request is quick-ACKed');
      } else {
        assert.ok(m.latencyMs.p50 < 10, 'measured: no stall');
        assert.ok(r.latencyMs.p50 < 10, `predicted p50 ${r.latencyMs.p50} ms: no stall either`);
        assert.ok(r.causeShare.delayedAck < 0.5, `delayed-ACK share ${r.causeShare.delayedAck}`);
      }
    });
    continue;
  }
  if (f === 'records/sndbuf0') continue; // known gap, see the header
  test(`delay line ${c.id}`, () => {
    const r = simulate(c.scenario);
    const pattern = c.scenario.workload.pattern;
    if (pattern === 'write-write-read' || pattern === 'request-response' || pattern === 'two-channel') {
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.05, 1);
      within('p90 ms', r.latencyMs.p90, m.latencyMs.p90, 0.05, 1);
      within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.05);
      within('first ms', r.perMessage[0].latencyMs, m.latencyMs.first, 0.05, 1);
    } else if (pattern === 'records') {
      within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.1);
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.25);
    } else if (f === 'bulk/default') {
      within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.1);
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.5);
    } else {
      within('msg/s', r.messagesPerSecond, m.messagesPerSecond, 0.15);
      within('p50 ms', r.latencyMs.p50, m.latencyMs.p50, 0.1);
    }
  });
}
