// A node:test reporter that prints one line at the end, `unit: N passed, N failed`,
// which scripts/test.mjs adds up with the other suites' counts.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    // Only leaf tests count; suites report `details.type === 'suite'`.
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') passed++;
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') failed++;
  }
  yield `unit: ${passed} passed, ${failed} failed\n`;
}
