// simulate(): builds the hosts, connections and link from a scenario, runs the workload's
// application pattern to completion, and summarises what happened.
import type { Scenario } from '../common/scenario';
import { HostApp, MessageLog, Reader, Stream, type Leg } from './apps';
import { CAUSE_INDEX, LinkDirection, SimCore, newCauseVector, type CauseVector } from './core';
import { PROFILES, type TcpProfile } from './profiles';
import { TcpEndpoint, type EndpointCounters, type SendCall } from './tcp';
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
import { validateScenario } from './validate';

const DEFAULTS = {
  maxEvents: 20_000_000,
  maxSimTimeMs: 7 * 24 * 3600 * 1000,
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
  const core = new SimCore({
    maxEvents: options.maxEvents ?? DEFAULTS.maxEvents,
    maxSimTimeMs: options.maxSimTimeMs ?? DEFAULTS.maxSimTimeMs,
    maxQueuedEvents: DEFAULTS.maxQueuedEvents,
    traceLimit: options.traceLimit ?? DEFAULTS.traceLimit,
  }, scenario.link.seed);
  const counters: EndpointCounters = {
    data: 0, retransmissions: 0, pureAcks: 0, windowUpdates: 0, probes: 0, lost: 0,
    delayedAckTimers: 0, rtoTimers: 0, persistTimers: 0, wouldBlock: 0,
  };
  const { link, workload } = scenario;
  const oneWay = link.rttMs / 2;
  const upLink = new LinkDirection(core, oneWay, link.bandwidthMbps, profile.headerBytes, link.lossRate);
  const downLink = new LinkDirection(core, oneWay, link.bandwidthMbps, profile.headerBytes, link.lossRate);
  const clientHost = new HostApp(core, 'client');
  const serverHost = new HostApp(core, 'server');
  const recordReads = options.recordDeliveries === true;

  const connect = (channel: number): Connection => {
    const client = new TcpEndpoint(core, endpointConfig(scenario, profile, scenario.client, 'client', channel), counters);
    const server = new TcpEndpoint(core, endpointConfig(scenario, profile, scenario.server, 'server', channel), counters);
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
      windowUpdates: counters.windowUpdates, probes: counters.probes, lost: counters.lost,
    },
    timers: { delayedAck: counters.delayedAckTimers, rto: counters.rtoTimers, persist: counters.persistTimers },
    wouldBlock: counters.wouldBlock,
    packets: core.trace,
    packetsTruncated: core.traceTruncated,
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

/** The effective socket options of one endpoint under the profile. */
function endpointConfig(s: NormalizedScenario, p: TcpProfile, e: NormalizedEndpoint, side: 'client' | 'server', channel: number) {
  const bdp = (s.link.bandwidthMbps * 1e6 / 8) * (s.link.rttMs / 1000);
  const auto = (max: number) => Math.round(Math.min(max, Math.max(p.autoBufferBase, 2 * bdp)));
  const scaled = (set: number) => Math.round(set * p.setBufferScale);
  const requestedSnd = e.sndbuf !== null ? scaled(e.sndbuf) : p.defaultSndbuf === 'auto' ? auto(p.autoSndbufMax) : p.defaultSndbuf;
  const zeroCopySends = requestedSnd === 0 && p.sndbufZeroCompletesAtAck;
  const rcvbuf = e.rcvbuf !== null ? Math.max(1, scaled(e.rcvbuf)) : p.defaultRcvbuf === 'auto' ? auto(p.autoRcvbufMax) : p.defaultRcvbuf;
  return {
    side,
    channel,
    profile: p,
    mss: s.link.mss,
    nodelay: e.nodelay,
    sndbuf: zeroCopySends ? 0 : Math.max(requestedSnd, p.sndbufMin, 1),
    sndbufAuto: e.sndbuf === null && p.defaultSndbuf === 'auto' ? { base: p.autoBufferBase, max: p.autoSndbufMax } : null,
    zeroCopySends,
    rcvbuf,
    // Set after accept, SO_RCVBUF cannot raise the window above what the SYN's scale allows.
    windowClamp: e.rcvbufAfterAccept ? 65535 * 2 ** p.defaultWindowScale : Infinity,
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
