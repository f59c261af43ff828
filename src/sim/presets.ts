// Ready-made scenarios for the simulator panel and examples/scenarios/*.json (test/sim checks the
// files and these stay the same). The two case studies are KB214397's ("Design issues - sending
// small data segments over TCP with Winsock"), on the profile the KB describes.
import type { Scenario } from '../common/scenario';

export interface Preset {
  id: string;
  title: string;
  scenario: Scenario;
}

export const PRESETS: Preset[] = [
  {
    id: 'kb-case-1-records-sndbuf-zero',
    title: 'KB214397 case 1: 10,000 small records, SO_SNDBUF = 0, Nagle on',
    scenario: {
      title: 'Case 1 as written: blocking sends with SO_SNDBUF = 0',
      profile: 'windows-legacy',
      link: { rttMs: 1, bandwidthMbps: 100 },
      client: { nodelay: false, sndbuf: 0 },
      server: { nodelay: false },
      workload: { pattern: 'records', count: 10000, sizeBytes: [20, 100], batch: 1, recvBufferBytes: 200 },
    },
  },
  {
    id: 'kb-case-2-two-channels',
    title: 'KB214397 case 2: quote requests on one connection, quotes on another',
    scenario: {
      title: 'Case 2 as written: command and data channels, one request outstanding',
      profile: 'windows-legacy',
      link: { rttMs: 1, bandwidthMbps: 100 },
      client: { nodelay: false },
      server: { nodelay: false },
      workload: { pattern: 'two-channel', count: 100, sizeBytes: 8, responseBytes: 30, recvBufferBytes: 200 },
    },
  },
  {
    id: 'write-write-read-linux',
    title: 'Write-write-read: a request sent in two writes, then read the reply (Linux)',
    scenario: {
      title: 'Two small writes then a read, Nagle on',
      profile: 'linux',
      link: { rttMs: 0.05, bandwidthMbps: 10000 },
      client: { nodelay: false },
      server: { nodelay: false },
      workload: { pattern: 'write-write-read', count: 100, writes: [20, 20], responseBytes: 20, recvBufferBytes: 4096 },
    },
  },
  {
    id: 'bulk-long-fat-link',
    // Legacy Windows, where the KB's advice holds: its 8 KB default buffers and no autotuning cap the
    // window. (Linux autotunes; there buffers set by hand are clamped to wmem_max/rmem_max and stop
    // autotuning, so the same "fix" is slower, which the panel shows when the OS is switched.)
    title: 'Bulk transfer over a long fat link: 100 MB at 1 Gbit/s, 80 ms RTT (Windows, legacy)',
    scenario: {
      title: '100 MB over 1 Gbit/s with 80 ms RTT',
      profile: 'windows-legacy',
      link: { rttMs: 80, bandwidthMbps: 1000 },
      client: { nodelay: false },
      server: { nodelay: false },
      workload: { pattern: 'bulk', totalBytes: 100_000_000, writeBytes: 65536, recvBufferBytes: 65536 },
    },
  },
];
