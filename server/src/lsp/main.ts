/**
 * Entry of the cnet language server (`dist/server.js`). The transport comes
 * from the command line: `--stdio` (standalone, `cnet-language-server
 * --stdio`), `--node-ipc` (VS Code), `--socket=N` or `--pipe=NAME`.
 */
import * as v8 from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// What one analysis keeps is ~45 MB at 10,000 containers, but each edit leaves
// garbage, and V8 lets the heap grow to ~4x what was live at its last full
// collection before the next one: the peak RSS was ~400 MB. Grow 2x at most
// (measured by `npm run bench`: peak ~290 MB, edit latency unchanged).
v8.setFlagsFromString('--heap-growing-percent=100');

const args = process.argv.slice(2);
const transport = args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
if (!transport) {
  const help = args.includes('--help') || args.includes('-h');
  process.stderr.write('usage: cnet-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
  process.exit(help ? 0 : 2);
}

startServer(createConnection(ProposedFeatures.all));
