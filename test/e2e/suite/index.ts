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
import { registerRestartTests } from './restart.e2e';
import { registerWalkthroughTests } from './walkthrough.e2e';
import { registerPropertyTests } from './properties.e2e';
import { registerProtocolTests } from './protocol.e2e';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.e2e', mocha);
  // First: its screenshots show a Problems panel holding only the edited file's problems (later tests leave other files' behind).
  registerProtocolTests();
  registerExtensionTests();
  registerRestartTests();
  registerPropertyTests();
  registerWalkthroughTests();
  registerLogTimelineTests();
  registerHistoryViewTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      // One plain line the CI log reader understands, whatever the reporter printed.
      console.log(`extension: ${mocha.suite.total() - failures} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
