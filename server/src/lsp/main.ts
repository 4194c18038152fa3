/**
 * Entry of the cnet language server (`dist/server.js`). The transport comes
 * from the command line: `--stdio` (standalone, `cnet-language-server
 * --stdio`), `--node-ipc` (VS Code), `--socket=N` or `--pipe=NAME`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const args = process.argv.slice(2);
const transport = args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
if (!transport) {
  const help = args.includes('--help') || args.includes('-h');
  process.stderr.write('usage: cnet-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
  process.exit(help ? 0 : 2);
}

startServer(createConnection(ProposedFeatures.all));
