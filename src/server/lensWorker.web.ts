// The CodeLens simulations' Web Worker in a browser (dist/web/lens-worker.js); see lensJobs.ts.
import type { LensJob } from './lensProtocol';
import { runLensJob } from './lensJobs';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };
scope.onmessage = (e: MessageEvent) => scope.postMessage(runLensJob(e.data as LensJob));
