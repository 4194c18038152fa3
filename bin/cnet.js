#!/usr/bin/env node
// The `cnet` command. The implementation is bundled into dist/cli.js by
// `npm run build`; this file only finds it.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`cnet: ${path.relative(process.cwd(), cli) || cli} is missing; build it first with \`npm run build\` in ${path.join(__dirname, '..')}\n`);
  process.exit(2);
}
require(cli);
