import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The language server process: transport (IPC, stdio or socket) chosen by the command line.
// Big documents and explorations run in the workers bundled next to this file.
startServer(createConnection(ProposedFeatures.all), { analysisWorker: path.join(__dirname, 'analysisWorker.js'), exploreWorker: path.join(__dirname, 'exploreJobWorker.js'), historyWorker: path.join(__dirname, 'historyJobWorker.js') });
