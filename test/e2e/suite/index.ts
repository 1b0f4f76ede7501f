/**
 * The extension test suite's entry, in the form @vscode/test-electron runs
 * (a module exporting `run(): Promise<void>`). The same bundle runs inside
 * code-server (test/e2e/runInCodeServer.mjs) and desktop VS Code
 * (test/e2e/runInElectron.mjs).
 */
import Mocha from 'mocha';
import { registerExtensionTests } from './extension.e2e';
import { registerHistoryViewTests } from './historyView.e2e';
import { registerLogTimelineTests } from './logTimeline.e2e';
import { registerReloadTests, reloadPhase } from './reload.e2e';
import { registerRestartTests } from './restart.e2e';
import { registerWalkthroughTests } from './walkthrough.e2e';
import { registerPropertyTests } from './properties.e2e';
import { registerProtocolTests } from './protocol.e2e';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.e2e', mocha);
  // After a reload by the last test (reload.e2e.ts), only the next reload phase runs.
  const note = await reloadPhase();
  let passed = note?.passed ?? 0;
  let failed = 0;
  if (!note) {
    // First: its screenshots show a Problems panel holding only the edited file's problems (later tests leave other files' behind).
    registerProtocolTests();
    registerExtensionTests();
    registerRestartTests();
    registerPropertyTests();
    registerWalkthroughTests();
    registerLogTimelineTests();
    registerHistoryViewTests();
  }
  // Last: it reloads the window.
  registerReloadTests(note, () => ({ passed, failed }));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // One plain line the CI log reader understands, whatever the reporter printed (passes of the runs before a reload included).
      console.log(`extension: ${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => void passed++);
    runner.on('fail', () => void failed++);
  });
}
