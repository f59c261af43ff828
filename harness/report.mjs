// Renders results/linux-measured.json as a Markdown table for people.
//   node harness/report.mjs harness/results/linux-measured.json > harness/results/linux-measured.md
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node report.mjs linux-measured.json');
  process.exit(2);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const fmt = (v, digits = 3) => (v === undefined || v === null ? '' : Number(v).toFixed(digits));
const rate = (v) => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : fmt(v, 1));

const out = [];
out.push('# Linux TCP, measured');
out.push('');
out.push(`Measured ${r.measuredAt} on kernel \`${r.host.kernel}\` (CONFIG_HZ=${r.host.hz ?? '?'}, ${r.host.cpus} CPUs), ` +
  `congestion control ${r.host.congestionControl} (system default ${r.host.systemDefaultCongestionControl}), ` +
  `tcp_wmem \`${r.host.tcpWmem}\`, tcp_rmem \`${r.host.tcpRmem}\`. No netem: delay from harness/src/delayline.c.` +
  (r.quick ? ' **Quick run (reduced counts).**' : ''));
out.push('Generated from linux-measured.json by harness/report.mjs; run `sudo harness/run.sh` to measure again.');
for (const p of r.remeasured ?? []) out.push(`Re-measured ${p.measuredAt} (\`--only\`, merged): ${p.ids.join(', ')}.`);
out.push('');
out.push('## Links');
out.push('');
out.push('| network | nominal RTT | ping RTT min/avg/max (ms) | rate | queue |');
out.push('|---|---|---|---|---|');
for (const l of r.links) {
  if (l.network === 'loopback') {
    const rtt = l.rttMs !== undefined ? `${l.rttMs} ms (fastest 1-byte ping-pong ${l.pingPongMinMs} ms less 4 calls)` : '—';
    out.push(`| loopback | ${rtt} | — | ${l.rateMbps !== undefined ? `${Math.round(l.rateMbps)} Mbps (loopback/link-rate)` : '—'} | lo MTU ${l.mtu} |`);
  } else {
    const p = l.pingRttMs ? `${l.pingRttMs.min} / ${l.pingRttMs.avg} / ${l.pingRttMs.max}` : 'not measured';
    out.push(`| ${l.network} | ${l.rttMs} ms | ${p} | ${l.rateMbps} Mbps | ${l.queuePackets} packets per direction |`);
  }
}
out.push('');
out.push('## Cases');
out.push('');
out.push('Latency: first `send()` of a message to the peer application having all of it (records, bulk: the server; ' +
  'request patterns: the client has the whole reply). Percentiles are nearest-rank over every message, the first included. ' +
  `Each case ran ${r.repeats} time(s) on fresh connections; the row is the run with the median total time, ` +
  'the last column the p50 of every run.');
out.push('');
out.push('| case | count | msg/s | total ms | p50 ms | p90 ms | p99 ms | max ms | first ms | MSS | segs out c/s | effective SO_SNDBUF c/s | p50 of each run |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const c of r.cases) {
  const m = c.measured, l = m.latencyMs, o = c.observed;
  out.push(`| ${c.id} | ${m.count} | ${rate(m.messagesPerSecond)} | ${fmt(m.totalTimeMs, 1)} | ${fmt(l.p50)} | ${fmt(l.p90)} | ` +
    `${fmt(l.p99)} | ${fmt(l.max)} | ${fmt(l.first)} | ${o.mss} | ${o.clientDataSegsOut}/${o.serverDataSegsOut} | ` +
    `${o.clientSndbuf}/${o.serverSndbuf} | ${(c.repeats?.p50Ms ?? [l.p50]).map((v) => fmt(v)).join(', ')} |`);
}
if (r.failures.length) {
  out.push('');
  out.push('## Failed');
  out.push('');
  for (const f of r.failures) out.push(`- ${f.id}: ${f.error}`);
}
out.push('');
out.push('## What each case is');
out.push('');
for (const c of r.cases) {
  const extra = c.measured.throughputMbps ? ` Throughput ${fmt(c.measured.throughputMbps, 1)} Mbit/s.` : '';
  const retrans = c.observed.clientRetransmits + c.observed.serverRetransmits;
  const dl = c.delayLine ? ` Delay line: ${c.delayLine.replace(/delayline: /g, '')}.` : '';
  out.push(`- **${c.id}**: ${c.description}.${extra}${retrans ? ` Retransmissions (chosen run): ${retrans}.` : ''}${dl}`);
}
out.push('');
console.log(out.join('\n'));
