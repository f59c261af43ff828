import { simulate, PRESETS } from '../src/sim/index';
for (let k = 0; k < 15; k++) { const t0 = performance.now(); simulate(PRESETS[0].scenario); if (k > 10) console.log((performance.now()-t0).toFixed(1)); }
