import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The language server process: transport (IPC, stdio or socket) chosen by the command line.
// Big documents are analysed by the worker bundled next to this file.
startServer(createConnection(ProposedFeatures.all), { analysisWorker: path.join(__dirname, 'analysisWorker.js') });
