#!/usr/bin/env node
'use strict';
// The `dsync` command: the bundled CLI (npm run build makes dist/cli.js).
const { main } = require('../dist/cli.js');
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
// `explore` answers with a promise of its exit code, the other commands at once.
Promise.resolve(main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  color,
})).then((code) => {
  process.exitCode = code;
});
