import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The language server process: transport (IPC, stdio or socket) chosen by the command line.
startServer(createConnection(ProposedFeatures.all));
