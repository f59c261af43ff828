// The CodeLens simulations' worker thread on Node (dist/lens-worker.js); see lensJobs.ts.
import { parentPort } from 'node:worker_threads';
import type { LensJob } from './lensProtocol';
import { runLensJob } from './lensJobs';

parentPort?.on('message', (job: LensJob) => parentPort!.postMessage(runLensJob(job)));
