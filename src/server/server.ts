// Entry point of dist/server.js (desktop, Node). The transport comes from the command line
// (--stdio, --node-ipc, --socket=N), so VS Code starts it over IPC and any other LSP client over stdio.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { nodePlatform } from './platform-node';
import { startServer } from './socklintServer';

startServer(createConnection(ProposedFeatures.all), nodePlatform());
