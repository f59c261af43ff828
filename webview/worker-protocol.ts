// Messages between the panel and its simulation worker (webview/sim-worker.ts).
import type { Scenario } from '../src/common/scenario';

export interface SimRequest {
  id: number;
  scenario: Scenario;
}

export type WorkerReply =
  /** Sent once at start-up; `inWorker` proves the simulation does not run on the page's thread. */
  | { type: 'hello'; inWorker: boolean }
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'result'; id: number; result: unknown; elapsedMs: number }
  /** `bound` is true when the run hit a limit (events, simulated time) rather than failed. */
  | { type: 'error'; id: number; message: string; bound: boolean };

/**
 * Limits for one run in the panel: enough for the case studies (10,000 records over half an hour
 * of simulated time), small enough that a mistyped count cannot keep a core busy for minutes.
 */
export const PANEL_RUN_LIMITS = { maxEvents: 3_000_000, maxSimTimeMs: 24 * 3600_000, traceLimit: 600 };
