#!/usr/bin/env node
'use strict';
// The `dsync` command: the bundled CLI (npm run build makes dist/cli.js).
const { main } = require('../dist/cli.js');
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
// A reader that goes away (`dsync explore … | head`) is no error: the command
// finishes and exits with its own code, writing nothing more to that stream.
// Any other write error (a full disk: `dsync run x > /dev/full`) is one line
// on stderr and exit code 2, never a stack trace.
const closed = new Set();
let writeError;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    closed.add(stream);
    if (error.code === 'EPIPE') return;
    if (!writeError) {
      writeError = error;
      const what = stream === process.stdout ? 'standard output' : 'standard error';
      try {
        if (stream !== process.stderr) process.stderr.write(`dsync: cannot write to ${what}: ${error.code || error.message}${error.code === 'ENOSPC' ? ' (no space left on the device)' : ''}\n`);
      } catch {
        // stderr is gone too: the exit code says it.
      }
    }
    process.exitCode = 2;
  });
}
const write = (stream, text) => {
  if (!closed.has(stream)) stream.write(text + '\n');
};
// `run` and `explore` answer with a promise of their exit code, the other commands at once.
Promise.resolve(main(process.argv.slice(2), {
  out: (t) => write(process.stdout, t),
  err: (t) => write(process.stderr, t),
  color,
  stdout: process.stdout,
})).then((code) => {
  process.exitCode = writeError ? 2 : code;
});
