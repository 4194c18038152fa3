#!/usr/bin/env node
// The cnet language server for any LSP client: `cnet-language-server --stdio`.
// The implementation is bundled into dist/server.js by `npm run build`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const server = path.join(__dirname, '..', 'dist', 'server.js');
if (!fs.existsSync(server)) {
  process.stderr.write(`cnet-language-server: ${server} is missing; build it first with \`npm run build\` in ${path.join(__dirname, '..')}\n`);
  process.exit(2);
}
require(server);
