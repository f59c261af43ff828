// Application cost per send/recv call (`callCostUs`): its validation, the per-profile default taken
// from harness/results/call-cost.json, and what it does to throughput, latency and the causes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simulate, validateScenario, PROFILES } from '../../src/sim/index';
import { LINUX_CALL_COST_US } from '../../src/sim/profiles';
import { PROFILE_NAMES, type Scenario } from '../../src/common/scenario';

const measured = JSON.parse(readFileSync(path.join(__dirname, '../../harness/results/call-cost.json'), 'utf8')) as {
  format: number;
  callCostUs: number;
  send: { medianUs: number };
  recv: { medianUs: number };
  host: { kernel: string; loadAverageBefore: string };
};

/** A link so fast and short that only the applications' own time limits a records run. */
const fastLink = { rttMs: 0, bandwidthMbps: 1_000_000 };

test('the linux default is the measured figure: the mean of a 64-byte send and recv on loopback', () => {
  assert.equal(measured.format, 1);
  const mean = (measured.send.medianUs + measured.recv.medianUs) / 2;
  assert.ok(Math.abs(measured.callCostUs - mean) <= 0.05, `${measured.callCostUs} vs mean ${mean}`);
  assert.equal(LINUX_CALL_COST_US, measured.callCostUs);
  assert.equal(PROFILES.linux.callCostUs, measured.callCostUs);
  assert.ok(measured.callCostUs > 0.1 && measured.callCostUs < 20, 'a system call costs microseconds');
});

test('Windows and macOS defaults are labelled as estimates in the result notes; Linux is not', () => {
  for (const name of PROFILE_NAMES) {
    const r = simulate({ profile: name, workload: { pattern: 'request-response', count: 2 } });
    const note = r.notes.find((n) => n.includes('per send/recv call'));
    if (name === 'linux') assert.equal(note, undefined);
    else assert.match(note ?? '', /an estimate/, name);
    // A scenario that gives its own cost on both sides gets no note about the default.
    const own = simulate({ profile: name, client: { callCostUs: 3 }, server: { callCostUs: 3 }, workload: { pattern: 'request-response', count: 2 } });
    assert.equal(own.notes.find((n) => n.includes('per send/recv call')), undefined);
  }
});

test('validation: omitted = the profile default, 0 allowed, outside 0..1000 µs refused with the field named', () => {
  const v = validateScenario({ profile: 'linux', workload: { pattern: 'records' } });
  assert.ok(v.ok);
  if (v.ok) {
    assert.equal(v.scenario.client.callCostUs, PROFILES.linux.callCostUs);
    assert.equal(v.scenario.server.callCostUs, PROFILES.linux.callCostUs);
  }
  const zero = validateScenario({ client: { callCostUs: 0 }, server: { callCostUs: 1000 }, workload: { pattern: 'records' } });
  assert.ok(zero.ok && zero.scenario.client.callCostUs === 0 && zero.scenario.server.callCostUs === 1000);
  for (const bad of [-1, 1000.5, 'fast', null]) {
    const r = validateScenario({ client: { callCostUs: bad }, workload: { pattern: 'records' } });
    assert.equal(r.ok, false, String(bad));
    if (!r.ok) {
      assert.equal(r.errors[0].path, 'client.callCostUs');
      assert.match(r.errors[0].message, bad === null || bad === 'fast' ? /must be a number/ : /between 0 and 1000/);
    }
  }
});

test('records on a fast link: one send call at a time caps the rate at 1 / callCostUs', () => {
  for (const cost of [1, 5, 20]) {
    const r = simulate({ profile: 'linux', link: fastLink, client: { callCostUs: cost }, server: { callCostUs: 0 }, workload: { pattern: 'records', count: 5000, recvBufferBytes: 65536 } });
    const cap = 1e6 / cost;
    assert.ok(r.messagesPerSecond <= cap * 1.0001, `${cost} µs: ${r.messagesPerSecond} > ${cap}`);
    assert.ok(r.messagesPerSecond >= cap * 0.95, `${cost} µs: ${r.messagesPerSecond} well below ${cap}`);
  }
  // Without a cost nothing but the link limits it: far above a million records per second.
  const free = simulate({ profile: 'linux', link: fastLink, client: { callCostUs: 0 }, server: { callCostUs: 0 }, workload: { pattern: 'records', count: 5000, recvBufferBytes: 65536 } });
  assert.ok(free.messagesPerSecond > 1e7, `${free.messagesPerSecond}`);
});

test('a request/response exchange pays four calls: client send, server recv, server send, client recv', () => {
  const base: Scenario = { profile: 'linux', link: fastLink, client: { nodelay: true }, server: { nodelay: true }, workload: { pattern: 'request-response', count: 50, sizeBytes: 100, responseBytes: 100 } };
  const free = simulate({ ...base, client: { ...base.client, callCostUs: 0 }, server: { ...base.server, callCostUs: 0 } });
  const costly = simulate({ ...base, client: { ...base.client, callCostUs: 10 }, server: { ...base.server, callCostUs: 30 } });
  const added = costly.latencyMs.p50 - free.latencyMs.p50;
  assert.ok(Math.abs(added - 0.08) < 0.001, `added ${added} ms per exchange, expected 2 x 10 µs + 2 x 30 µs`);
});

test('the time inside the calls is the application\'s own (wire), never a send-buffer or delayed-ACK wait', () => {
  // TCP_NODELAY: with Nagle on, records would also (rightly) wait for the peer's delayed ACK.
  const r = simulate({ profile: 'windows-modern', link: fastLink, client: { callCostUs: 50, nodelay: true }, server: { callCostUs: 50 }, workload: { pattern: 'records', count: 2000, recvBufferBytes: 65536 } });
  assert.ok(r.causes.sendBuffer < 1e-9, `sendBuffer ${r.causes.sendBuffer} ms`);
  assert.ok(r.causes.delayedAck < 1e-9, `delayedAck ${r.causes.delayedAck} ms`);
  assert.ok(r.latencyMs.p50 >= 0.1 - 1e-9, `p50 ${r.latencyMs.p50} ms: a send and a recv of 50 µs each`);
  // The Winsock SO_SNDBUF = 0 stall is still a delayed-ACK wait, with the call cost on top.
  const stall = simulate({ profile: 'windows-legacy', link: { rttMs: 1, bandwidthMbps: 100 }, client: { sndbuf: 0, callCostUs: 50 }, workload: { pattern: 'records', count: 50 } });
  assert.ok(stall.causeShare.delayedAck > 0.9, `${stall.causeShare.delayedAck}`);
});

test('a LAN with the default cost: records with the default send buffer stay below a million per second on every profile', () => {
  for (const name of PROFILE_NAMES) {
    const r = simulate({ profile: name, link: { rttMs: 1, bandwidthMbps: 1000 }, workload: { pattern: 'records', count: 10000, recvBufferBytes: 200 } });
    assert.ok(r.messagesPerSecond < 1e6 / PROFILES[name].callCostUs * 1.0001, `${name}: ${r.messagesPerSecond}`);
  }
});
