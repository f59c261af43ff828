// `socklint simulate <scenario.json> [--format text|json] [--trace-out FILE]`: runs the TCP
// simulator on a scenario file and prints a summary (text) or the result fields DESIGN.md names
// (json); --trace-out streams every trace entry to FILE as it happens.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CAUSE_NAMES, SimulationBoundError, simulate, validateScenario, type PacketTraceEntry, type SimResult } from '../sim/index';

/** Either a function or a stream-like object with write(). */
type Sink = ((s: string) => void) | { write(s: string): unknown };

export interface SimulateIo {
  stdout: Sink;
  stderr: Sink;
  readFile: (p: string) => string;
  /** Where --trace-out writes (default: a file, relative to the process's working directory). */
  openTrace?: (p: string) => TraceSink;
}

/** Receives the whole trace, one JSON line per entry; close(true) keeps it, close(false) discards it. */
export interface TraceSink {
  write(line: string): void;
  close(keep: boolean): void;
}

const EXIT_OK = 0;
const EXIT_USAGE = 2;
/** The scenario was valid but ran into one of the simulator's bounds. */
const EXIT_BOUND = 3;

const USAGE = `Usage: socklint simulate <scenario.json> [--format text|json] [--trace-out FILE]

Runs the TCP simulator on a scenario (format: README "Simulator") and prints per-message latency,
messages per second, and where the time went (nagle, delayedAck, sendBuffer, window, congestion,
loss, receiver, wire). Each send and recv call costs the application client/server.callCostUs
microseconds (default: the profile's, about 1 µs, measured on Linux by harness/).
The result keeps the first 2,000 trace entries (packets, timers, application calls); --trace-out
FILE streams all of them to FILE as they happen, one JSON object per line (NDJSON), without
holding them in memory; FILE appears only once the run has finished.
Exit codes: 0 done, 2 usage error or invalid scenario, 3 a simulation bound hit.`;

export async function runSimulate(args: string[], io: SimulateIo): Promise<number> {
  const out = (s: string) => write(io.stdout, s);
  const err = (s: string) => write(io.stderr, s);
  let format: 'text' | 'json' = 'text';
  let file: string | undefined;
  let traceOut: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      out(`${USAGE}\n`);
      return EXIT_OK;
    }
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a === '--format' ? args[++i] : a.slice('--format='.length);
      if (value !== 'text' && value !== 'json') {
        err(`socklint simulate: --format must be text or json (got ${value === undefined ? 'nothing' : JSON.stringify(value)})\n`);
        return EXIT_USAGE;
      }
      format = value;
    } else if (a === '--trace-out' || a.startsWith('--trace-out=')) {
      const value = a === '--trace-out' ? args[++i] : a.slice('--trace-out='.length);
      if (!value) {
        err('socklint simulate: --trace-out needs a file name\n');
        return EXIT_USAGE;
      }
      traceOut = value;
    } else if (a.startsWith('-')) {
      err(`socklint simulate: unknown option ${a}\n${USAGE}\n`);
      return EXIT_USAGE;
    } else if (file === undefined) {
      file = a;
    } else {
      err(`socklint simulate: one scenario file at a time (got ${file} and ${a})\n`);
      return EXIT_USAGE;
    }
  }
  if (file === undefined) {
    err(`socklint simulate: no scenario file given\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    err(`socklint simulate: cannot read ${file}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    err(`${file}: not valid JSON: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const v = validateScenario(json);
  if (!v.ok) {
    err(`${file}: invalid scenario\n`);
    for (const e of v.errors) err(`  ${e.path || '(scenario)'}: ${e.message}\n`);
    return EXIT_USAGE;
  }

  let sink: TraceSink | undefined;
  let traced = 0;
  if (traceOut !== undefined) {
    if (path.resolve(traceOut) === path.resolve(file)) {
      err(`socklint simulate: --trace-out ${traceOut} would overwrite the scenario file\n`);
      return EXIT_USAGE;
    }
    try {
      sink = (io.openTrace ?? openTraceFile)(traceOut);
    } catch (e) {
      err(`socklint simulate: cannot write ${traceOut}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const onTrace = sink ? (entry: PacketTraceEntry) => {
    traced++;
    sink!.write(`${JSON.stringify(entry)}\n`);
  } : undefined;

  let result: SimResult;
  try {
    result = simulate(v.scenario, onTrace ? { onTrace } : {});
  } catch (e) {
    sink?.close(false);
    if (!(e instanceof SimulationBoundError)) throw e;
    err(`${file}: ${e.message}\n`);
    return e.bound === 'scenario' ? EXIT_USAGE : EXIT_BOUND;
  }
  try {
    sink?.close(true);
  } catch (e) {
    err(`socklint simulate: cannot write ${traceOut}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const trace = traceOut !== undefined ? { file: traceOut, entries: traced } : undefined;
  out(format === 'json' ? `${JSON.stringify(toJson(result, trace), null, 2)}\n` : formatText(result, file, trace));
  return EXIT_OK;
}

/**
 * A trace file written in 64 KB chunks to a temporary name beside it and renamed into place at the
 * end, so a failed or interrupted run never leaves a partial file under the requested name.
 */
function openTraceFile(p: string): TraceSink {
  const tmp = `${p}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx');
  let chunk = '';
  const flush = () => {
    if (chunk) writeSync(fd, chunk);
    chunk = '';
  };
  return {
    write(line) {
      chunk += line;
      if (chunk.length >= 65_536) flush();
    },
    close(keep) {
      try {
        if (keep) flush();
      } finally {
        closeSync(fd);
        if (keep) renameSync(tmp, p);
        else unlinkSync(tmp);
      }
    },
  };
}

function write(sink: Sink, s: string): void {
  if (typeof sink === 'function') sink(s);
  else sink.write(s);
}

/** DESIGN.md's fields first, then the rest of the result (and where the whole trace went). */
function toJson(r: SimResult, trace?: { file: string; entries: number }) {
  const { messagesPerSecond, totalTimeMs, latencyMs, packets, causes, causeShare, ...rest } = r;
  return { messagesPerSecond, totalTimeMs, latencyMs, causes, causeShare, packets, ...rest, ...(trace ? { traceFile: trace.file, traceEntries: trace.entries } : {}) };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));

function duration(v: number): string {
  if (v < 1000) return `${ms(v)} ms`;
  if (v < 120_000) return `${(v / 1000).toFixed(2)} s`;
  return `${(v / 60_000).toFixed(1)} min`;
}

export function formatText(r: SimResult, file: string, trace?: { file: string; entries: number }): string {
  const s = r.scenario;
  const lines: string[] = [];
  const unit = r.messageUnit === 'record' ? 'records' : r.messageUnit === 'exchange' ? 'exchanges' : 'writes';
  lines.push(`${file}${s.title ? ` — ${s.title}` : ''}`);
  const cost = s.client.callCostUs === s.server.callCostUs ? `${s.client.callCostUs} µs` : `${s.client.callCostUs} µs client, ${s.server.callCostUs} µs server`;
  lines.push(`profile ${s.profile}, ${s.workload.pattern}, RTT ${s.link.rttMs} ms, ${s.link.bandwidthMbps} Mbit/s, MSS ${s.link.mss}${s.link.lossRate ? `, loss ${s.link.lossRate}` : ''}, ${cost} per send/recv call`);
  lines.push('');
  lines.push(`  ${r.messages} ${unit} in ${duration(r.totalTimeMs)}: ${r.messagesPerSecond >= 100 ? r.messagesPerSecond.toFixed(0) : r.messagesPerSecond.toFixed(2)} ${unit}/s, ${r.goodputMbps.toFixed(3)} Mbit/s of payload`);
  const l = r.latencyMs;
  lines.push(`  latency per ${r.messageUnit}: p50 ${ms(l.p50)} ms, p90 ${ms(l.p90)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms, mean ${ms(l.mean)} ms`);
  lines.push('');
  lines.push('  where the time went:');
  const ranked = CAUSE_NAMES.filter((c) => r.causeShare[c] >= 0.0005).sort((a, b) => r.causeShare[b] - r.causeShare[a]);
  for (const c of ranked) {
    lines.push(`    ${c.padEnd(11)} ${(100 * r.causeShare[c]).toFixed(1).padStart(5)} %   ${ms(r.causes[c] / r.messages).padStart(8)} ms per ${r.messageUnit}`);
  }
  lines.push('');
  const g = r.segments;
  lines.push(`  segments: ${g.data} data (${g.retransmissions} retransmitted, ${g.lost} lost), ${g.pureAcks} ACKs, ${g.windowUpdates} window updates, ${g.probes} probes`);
  lines.push(`  timers fired: delayed ACK ${r.timers.delayedAck}, RTO ${r.timers.rto}, persist ${r.timers.persist}${r.wouldBlock ? `; WOULDBLOCK ${r.wouldBlock}` : ''}`);
  const b = r.buffers;
  if (b.sendBufferWaits || b.zeroWindows || g.droppedByReceiver) {
    const parts: string[] = [];
    if (b.sendBufferWaits) parts.push(`${b.sendBufferWaits} send calls waited for room in the send buffer`);
    if (b.zeroWindows) parts.push(`the receiver advertised a zero window ${b.zeroWindows} times${b.windowRetractions ? ` (${b.windowRetractions} retracting a window already offered)` : ''}`);
    if (g.droppedByReceiver) parts.push(`${g.droppedByReceiver} segments arrived but did not fit the receive buffer and were dropped`);
    lines.push(`  buffers: ${parts.join('; ')}`);
  }
  if (trace) lines.push(`  ${r.events} events simulated; trace: ${trace.entries} entries written to ${trace.file} (one JSON object per line)`);
  else lines.push(`  ${r.events} events simulated; trace: ${r.packets.length} entries${r.packetsTruncated ? ' (the first ones only; --trace-out FILE writes them all)' : ''}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
}
