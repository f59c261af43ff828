// simulate(): builds the hosts, connections and link from a scenario, runs the workload's
// application pattern to completion, and summarises what happened.
import type { Scenario } from '../common/scenario';
import { HostApp, MessageLog, Reader, Stream, type Leg } from './apps';
import { CAUSE_INDEX, LinkDirection, SimCore, newCauseVector, type CauseVector } from './core';
import { PROFILES, type TcpProfile } from './profiles';
import { ByteReceiveWindow, LinuxReceiveWindow, linuxRxTruesize, type ReceiveWindow } from './rcvwindow';
import { TcpEndpoint, type EndpointConfig, type EndpointCounters, type SendCall } from './tcp';
import {
  CAUSE_NAMES,
  SimulationBoundError,
  type CauseBreakdown,
  type LatencyStats,
  type NormalizedEndpoint,
  type NormalizedScenario,
  type SimOptions,
  type SimResult,
} from './types';
import { estimateWork } from './budget';
import { validateScenario } from './validate';

const DEFAULTS = {
  maxEvents: 20_000_000,
  maxSimTimeMs: 7 * 24 * 3600 * 1000,
  maxWallMs: 120_000,
  maxQueuedEvents: 2_000_000,
  traceLimit: 2000,
  perMessageLimit: 2000,
};
const PROGRESS_EVERY_EVENTS = 8192;

interface Connection {
  client: TcpEndpoint;
  server: TcpEndpoint;
  /** client -> server and server -> client byte streams. */
  up: Stream;
  down: Stream;
}

export function simulate(input: Scenario | NormalizedScenario, options: SimOptions = {}): SimResult {
  const v = validateScenario(input);
  if (!v.ok) {
    throw new SimulationBoundError('scenario', 0, v.errors.map((e) => `${e.path || '(scenario)'}: ${e.message}`).join('; '), v.errors);
  }
  const scenario = v.scenario;
  const profile = PROFILES[scenario.profile];
  const maxEvents = options.maxEvents ?? DEFAULTS.maxEvents;
  const work = estimateWork(scenario);
  if (work.events > maxEvents) {
    throw new SimulationBoundError('maxEvents', maxEvents,
      `refused before running: the scenario needs about ${Math.round(work.events).toLocaleString('en-US')} events (${work.detail()}), ` +
      `more than the ${maxEvents.toLocaleString('en-US')} allowed; use a larger link.mss, move fewer bytes, or allow more events`);
  }
  const core = new SimCore({
    maxEvents,
    maxSimTimeMs: options.maxSimTimeMs ?? DEFAULTS.maxSimTimeMs,
    maxWallMs: options.maxWallMs ?? DEFAULTS.maxWallMs,
    maxQueuedEvents: DEFAULTS.maxQueuedEvents,
    traceLimit: options.traceLimit ?? DEFAULTS.traceLimit,
  }, scenario.link.seed);
  if (options.onTrace) core.onTrace = options.onTrace;
  const counters: EndpointCounters = {
    data: 0, retransmissions: 0, pureAcks: 0, windowUpdates: 0, probes: 0, lost: 0,
    delayedAckTimers: 0, rtoTimers: 0, persistTimers: 0, wouldBlock: 0, receiverDrops: 0,
    sendBufferWaits: 0, zeroWindows: 0, windowRetractions: 0,
  };
  const { link, workload } = scenario;
  const oneWay = link.rttMs / 2;
  const upLink = new LinkDirection(core, oneWay, link.bandwidthMbps, profile.headerBytes, link.lossRate);
  const downLink = new LinkDirection(core, oneWay, link.bandwidthMbps, profile.headerBytes, link.lossRate);
  const clientHost = new HostApp(core, 'client');
  const serverHost = new HostApp(core, 'server');
  const recordReads = options.recordDeliveries === true;

  const connect = (channel: number): Connection => {
    const clientWindow = receiveWindowFor(scenario, profile, scenario.client);
    const serverWindow = receiveWindowFor(scenario, profile, scenario.server);
    const client = new TcpEndpoint(core, endpointConfig(scenario, profile, scenario.client, 'client', channel, clientWindow, serverWindow), counters);
    const server = new TcpEndpoint(core, endpointConfig(scenario, profile, scenario.server, 'server', channel, serverWindow, clientWindow), counters);
    client.connect(server, upLink);
    server.connect(client, downLink);
    client.host = clientHost;
    server.host = serverHost;
    const up = new Stream(core, channel, client, clientHost, serverHost, recordReads);
    const down = new Stream(core, channel, server, serverHost, clientHost, recordReads);
    client.outgoing = up;
    server.incoming = up;
    server.outgoing = down;
    client.incoming = down;
    return { client, server, up, down };
  };

  const main = connect(0);
  const connections = [main];
  const total = workload.pattern === 'bulk' ? Math.ceil(workload.totalBytes / workload.writeBytes) : workload.count;
  const log = new MessageLog(total, options.perMessageLimit ?? DEFAULTS.perMessageLimit);
  clientHost.sendEndpoint = main.client;

  if (workload.pattern === 'records' || workload.pattern === 'bulk') {
    serverHost.sendEndpoint = main.server;
    new Reader(core, serverHost, main.server, workload.recvBufferBytes, workload.readDelayMs);
    runOneWay(core, scenario, clientHost, main, log);
  } else {
    const dataChannel = workload.pattern === 'two-channel' ? connect(1) : main;
    if (dataChannel !== main) connections.push(dataChannel);
    serverHost.sendEndpoint = dataChannel.server;
    runExchanges(core, scenario, clientHost, serverHost, main, dataChannel, log);
  }
  clientHost.refresh(0);
  serverHost.refresh(0);

  let nextProgress = PROGRESS_EVERY_EVENTS;
  options.onProgress?.(0);
  core.run(() => log.done >= total, () => {
    if (options.onProgress && core.events >= nextProgress) {
      nextProgress += PROGRESS_EVERY_EVENTS;
      options.onProgress(log.done / total);
    }
  });
  if (log.done < total) {
    throw new SimulationBoundError('stalled', total, `nothing was left to happen at ${core.now.toFixed(3)} ms with ${total - log.done} of ${total} messages undelivered`);
  }
  options.onProgress?.(1);

  const result: SimResult = {
    profile: scenario.profile,
    scenario,
    messageUnit: workload.pattern === 'records' ? 'record' : workload.pattern === 'bulk' ? 'write' : 'exchange',
    messages: total,
    messagesPerSecond: log.lastDoneAt > 0 ? total / (log.lastDoneAt / 1000) : Infinity,
    totalTimeMs: log.lastDoneAt,
    goodputMbps: log.lastDoneAt > 0 ? (log.payloadBytes * 8) / (log.lastDoneAt * 1000) : 0,
    latencyMs: latencyStats(log.latencies),
    perMessage: log.detail.map((d) => ({ index: d.index, startMs: d.startMs, latencyMs: d.latencyMs, causes: breakdown(d.causes) })),
    causes: breakdown(log.causes),
    causeShare: share(log.causes),
    events: core.events,
    segments: {
      data: counters.data, retransmissions: counters.retransmissions, pureAcks: counters.pureAcks,
      windowUpdates: counters.windowUpdates, probes: counters.probes, lost: counters.lost, droppedByReceiver: counters.receiverDrops,
    },
    timers: { delayedAck: counters.delayedAckTimers, rto: counters.rtoTimers, persist: counters.persistTimers },
    buffers: { sendBufferWaits: counters.sendBufferWaits, zeroWindows: counters.zeroWindows, windowRetractions: counters.windowRetractions },
    wouldBlock: counters.wouldBlock,
    packets: core.trace,
    packetsTruncated: core.traceIncomplete,
    notes: profile.callCostNote && (scenario.client.callCostUs === profile.callCostUs || scenario.server.callCostUs === profile.callCostUs)
      ? [...profile.notes, profile.callCostNote]
      : profile.notes.slice(),
  };
  if (recordReads) {
    result.deliveries = connections.flatMap((c) => [
      { channel: c.up.channel, to: 'server' as const, reads: c.up.reads ?? [], bytesWritten: c.client.totalWritten },
      { channel: c.down.channel, to: 'client' as const, reads: c.down.reads ?? [], bytesWritten: c.server.totalWritten },
    ]);
  }
  return result;
}

/** Send and receive buffers when the application sets none and the OS tunes them to the path. */
function autoBuffer(s: NormalizedScenario, p: TcpProfile, max: number): number {
  const bdp = (s.link.bandwidthMbps * 1e6 / 8) * (s.link.rttMs / 1000);
  return Math.round(Math.min(max, Math.max(p.autoBufferBase, 2 * bdp)));
}

/** One endpoint's receive buffer and window, as its OS applies SO_RCVBUF (see rcvwindow.ts). */
function receiveWindowFor(s: NormalizedScenario, p: TcpProfile, e: NormalizedEndpoint): ReceiveWindow {
  const beforeSyn = !e.rcvbufAfterAccept;
  if (p.receiveWindowModel === 'linux') {
    return new LinuxReceiveWindow(p, e.rcvbuf, beforeSyn, s.link.mss, linuxRxTruesize(s.link.mss, p));
  }
  const osDefault = p.defaultRcvbuf === 'auto' ? autoBuffer(s, p, p.autoRcvbufMax) : p.defaultRcvbuf;
  const set = e.rcvbuf === null ? null : Math.max(p.rcvbufMin, Math.round(Math.min(e.rcvbuf, p.rmemMax) * p.bufferSetScale));
  // The SYN's window scale: from a buffer set before it, else the scale the OS offers for its own buffers.
  return new ByteReceiveWindow(set ?? osDefault, set !== null && beforeSyn ? set : null, p.defaultWindowScale, s.link.mss);
}

/** The effective socket options of one endpoint under the profile. */
function endpointConfig(
  s: NormalizedScenario, p: TcpProfile, e: NormalizedEndpoint, side: 'client' | 'server', channel: number,
  receiveWindow: ReceiveWindow, peerWindow: ReceiveWindow,
): EndpointConfig {
  const zeroCopySends = e.sndbuf === 0 && p.sndbufZeroCompletesAtAck;
  let sndbuf: number;
  if (e.sndbuf !== null) {
    // Linux sock_setsockopt(SO_SNDBUF): min(val, wmem_max) * 2, at least SOCK_MIN_SNDBUF.
    sndbuf = zeroCopySends ? 0 : Math.max(p.sndbufMin, 1, Math.round(Math.min(e.sndbuf, p.wmemMax) * p.bufferSetScale));
  } else {
    sndbuf = p.defaultSndbuf === 'auto' ? autoBuffer(s, p, p.autoSndbufMax) : p.defaultSndbuf;
  }
  // Linux bounds its segment size to half the peer's initial window (tcp_sync_mss -> tcp_bound_to_half_wnd):
  // on a 64 KB-MTU loopback a 4 KB receive window makes 2 KB segments.
  let mss = s.link.mss;
  if (p.sendBufferModel === 'linux') {
    const w = peerWindow.initialWindow;
    const cutoff = w > 536 ? Math.floor(w / 2) : w;
    if (cutoff > 0 && mss > cutoff) mss = Math.max(cutoff, 68 - 32);
  }
  return {
    side,
    channel,
    profile: p,
    mss,
    nodelay: e.nodelay,
    sndbuf,
    sndbufAuto: e.sndbuf === null && p.defaultSndbuf === 'auto' ? { base: p.autoBufferBase, max: p.autoSndbufMax } : null,
    zeroCopySends,
    receiveWindow,
    pathRttMs: s.link.rttMs,
    linkBandwidthMbps: s.link.bandwidthMbps,
    linkLossRate: s.link.lossRate,
    quickack: e.quickack,
    nonBlocking: s.workload.nonBlocking,
    callCostMs: e.callCostUs / 1000,
  };
}

/** records and bulk: the client streams messages, the server only reads. */
function runOneWay(core: SimCore, s: NormalizedScenario, client: HostApp, conn: Connection, log: MessageLog): void {
  const w = s.workload;
  const isBulk = w.pattern === 'bulk';
  const calls = isBulk ? Math.ceil(w.totalBytes / w.writeBytes) : Math.ceil(w.count / w.batch);
  let nextCall = 0;
  let nextMessage = 0;
  let outstanding = 0;

  const finishRecord = (leg: Leg, doneAt: number): void => log.finish(leg.index, leg.startAt, doneAt, leg.causes, leg.bytes);
  const afterSend = (): void => {
    outstanding--;
    conn.up.sendReturned();
    if (w.thinkTimeMs > 0) core.schedule(core.now + w.thinkTimeMs, issue);
    else issue();
  };
  const legs: Leg[] = [];
  const issue = (): void => {
    // Bounded by overlappedSends: each pass starts one send call.
    while (outstanding < w.overlappedSends && nextCall < calls) {
      nextCall++;
      outstanding++;
      legs.length = 0;
      // Legs first: the send call may copy and transmit its bytes before it returns.
      const start = conn.client.totalWritten;
      let end = start;
      if (isBulk) {
        const size = Math.min(w.writeBytes, w.totalBytes - (nextCall - 1) * w.writeBytes);
        end += size;
        legs.push(conn.up.addLeg(end, newCauseVector(), nextMessage++, size, finishRecord));
      } else {
        for (let i = 0; i < w.batch && nextMessage < w.count; i++) {
          const size = core.uniformInt(w.sizeBytes[0], w.sizeBytes[1]);
          end += size;
          legs.push(conn.up.addLeg(end, newCauseVector(), nextMessage++, size, finishRecord));
        }
      }
      const call = client.send(conn.client, end - start, afterSend);
      for (const leg of legs) leg.call = call;
    }
  };
  core.schedule(0, issue);
}

/** request-response, write-write-read, two-channel: one exchange outstanding at a time. */
function runExchanges(core: SimCore, s: NormalizedScenario, client: HostApp, server: HostApp, req: Connection, resp: Connection, log: MessageLog): void {
  const w = s.workload;
  const requestReader = new Reader(core, server, req.server, w.recvBufferBytes, w.readDelayMs);
  const responseReader = new Reader(core, client, resp.client, w.recvBufferBytes, 0);
  void requestReader;
  responseReader.enabled = false;
  let index = 0;

  const startExchange = (): void => {
    const i = index++;
    const startAt = core.now;
    const causes = newCauseVector();
    const writes = w.pattern === 'write-write-read'
      ? w.writes.map(([min, max]) => core.uniformInt(min, max))
      : [core.uniformInt(w.sizeBytes[0], w.sizeBytes[1])];
    const requestBytes = writes.reduce((a, b) => a + b, 0);
    const requestEnd = req.client.totalWritten + requestBytes;
    req.up.addLeg(requestEnd, causes, i, requestBytes, () => {
      // The server has the whole request: it answers at once (as the next event at this instant).
      core.schedule(core.now, () => {
        const responseEnd = resp.server.totalWritten + w.responseBytes;
        resp.down.addLeg(responseEnd, causes, i, w.responseBytes, (_leg, doneAt) => {
          responseReader.enabled = false;
          log.finish(i, startAt, doneAt, causes, requestBytes + w.responseBytes);
          if (index < w.count) {
            if (w.thinkTimeMs > 0) core.schedule(core.now + w.thinkTimeMs, startExchange);
            else core.schedule(core.now, startExchange);
          }
        });
        server.send(resp.server, w.responseBytes, () => req.server.applyQuickAckOption());
      });
    });
    let next = 0;
    const writeNext = (): void => {
      if (next < writes.length) {
        client.send(req.client, writes[next++], writeNext);
        return;
      }
      responseReader.enabled = true; // all writes returned: the client now blocks in recv()
      responseReader.poke();
    };
    writeNext();
  };
  core.schedule(0, startExchange);
}

function latencyStats(values: Float64Array): LatencyStats {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return { min: sorted[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1], mean: sum / n };
}

function breakdown(v: CauseVector): CauseBreakdown {
  const out = {} as CauseBreakdown;
  for (const name of CAUSE_NAMES) out[name] = v[CAUSE_INDEX[name]];
  return out;
}

function share(v: CauseVector): CauseBreakdown {
  let sum = 0;
  for (const x of v) sum += x;
  const out = {} as CauseBreakdown;
  for (const name of CAUSE_NAMES) out[name] = sum > 0 ? v[CAUSE_INDEX[name]] / sum : 0;
  return out;
}

export type { SendCall };
