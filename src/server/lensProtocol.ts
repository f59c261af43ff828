// Messages between the language server and its CodeLens worker (lensWorker.ts). Types only.
import type { Pattern, ProfileName, Scenario } from '../common/scenario';

export interface LensJob {
  id: number;
  /** As written, and with the fix, on the same link (see findingRuns in src/common/comparison.ts). */
  runs: [Scenario, Scenario];
}

export interface LensRunFigures {
  pattern: Pattern;
  profile: ProfileName;
  link: { rttMs: number; bandwidthMbps: number; mss: number };
  title: string;
  messagesPerSecond: number;
  goodputMbps: number;
  latencyP50Ms: number;
}

export type LensJobResult =
  | { id: number; ok: true; runs: [LensRunFigures, LensRunFigures] }
  | { id: number; ok: false; reason: string };
