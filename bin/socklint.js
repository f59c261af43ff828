#!/usr/bin/env node
// The published command: runs the bundled CLI (built by `npm run build`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('socklint: the CLI is not built yet; run `npm ci && npm run build` in ' + path.join(__dirname, '..'));
  process.exit(2);
}
require(cli);
