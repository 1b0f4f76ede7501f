#!/usr/bin/env node
'use strict';
// The `dsync` command: the bundled CLI (npm run build makes dist/cli.js).
const { main } = require('../dist/cli.js');
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
// A reader that goes away (`dsync explore … | head`) is no error: the command
// finishes and exits with its own code, writing nothing more to that stream.
const closed = new Set();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed.add(stream);
  });
}
const write = (stream, text) => {
  if (!closed.has(stream)) stream.write(text + '\n');
};
// `explore` answers with a promise of its exit code, the other commands at once.
Promise.resolve(main(process.argv.slice(2), {
  out: (t) => write(process.stdout, t),
  err: (t) => write(process.stderr, t),
  color,
})).then((code) => {
  process.exitCode = code;
});
