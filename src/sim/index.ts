// The simulator's entry point. Pure TypeScript: no `vscode`, no engine import; runs in Node, in the
// CLI bundle and in the webview's Web Worker alike.
//
//   const v = validateScenario(json);            // never throws
//   if (v.ok) { const r = simulate(v.scenario); } // throws only SimulationBoundError
export { validateScenario } from './validate';
export { simulate } from './simulator';
export { PROFILES, profileFor } from './profiles';
export type { TcpProfile } from './profiles';
export { PRESETS } from './presets';
export type { Preset } from './presets';
export { SimulationBoundError, CAUSE_NAMES } from './types';
export type {
  BoundName,
  CauseBreakdown,
  CauseName,
  LatencyStats,
  MessageRecord,
  NormalizedEndpoint,
  NormalizedScenario,
  NormalizedWorkload,
  PacketTraceEntry,
  Side,
  SimOptions,
  SimResult,
  TraceKind,
  ValidationError,
  ValidationResult,
} from './types';
