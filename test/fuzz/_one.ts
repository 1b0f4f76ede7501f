import * as fs from 'node:fs';
import * as fc from 'fast-check';
import { PROPERTIES } from './properties';
import { anyInput, mutatedFrom, scenarioText } from './arbitraries';
const samples = fs.readdirSync('samples').filter((f) => f.endsWith('.dsync')).sort().map((f) => fs.readFileSync('samples/' + f, 'utf8'));
const [index, seed, runs] = process.argv.slice(2).map(Number);
if (process.env['DUMP']) {
  const inputs = fc.oneof({ weight: 4, arbitrary: scenarioText }, { weight: 1, arbitrary: mutatedFrom(fc.constantFrom(...samples)) });
  const all = fc.sample(fc.tuple(inputs, fc.option(fc.nat(), { nil: undefined })), { seed: seed!, numRuns: runs! });
  fs.writeFileSync('/tmp/inputs.json', JSON.stringify(all));
  void anyInput;
} else {
  PROPERTIES[index!]!.run({ seed: seed!, numRuns: runs!, samples }).then((r) => console.log('ok', r), (e) => { console.log(String(e.message).slice(0, 3000)); process.exit(1); });
}
