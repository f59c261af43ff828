// Entry point of dist/server.js. The transport comes from the command line (--stdio, --node-ipc,
// --socket=N), so VS Code starts it over IPC and any other LSP client over stdio.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './socklintServer';

startServer(createConnection(ProposedFeatures.all));
