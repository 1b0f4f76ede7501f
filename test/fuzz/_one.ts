import * as fs from 'node:fs';
import { PROPERTIES } from './properties';
const samples = fs.readdirSync('samples').filter((f) => f.endsWith('.dsync')).sort().map((f) => fs.readFileSync('samples/' + f, 'utf8'));
const [index, seed, runs] = process.argv.slice(2).map(Number);
PROPERTIES[index!]!.run({ seed: seed!, numRuns: runs!, samples }).then((r) => console.log('ok', r), (e) => { console.log(String(e.message).slice(0, 3000)); process.exit(1); });
