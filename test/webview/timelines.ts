/**
 * Timelines for the webview harness and tests, made by the real core from
 * scenario files (samples/ and test/fixtures/webview/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/index';
import { buildTimeline, type TimelinePayload } from '../../server/src/core/sim/timeline';

export const ROOT = process.env.DSYNC_ROOT ?? process.cwd();

export function timelineOfText(text: string, what = 'scenario'): TimelinePayload {
  const analysis = analyze(text);
  if (!analysis.run) {
    const errors = analysis.checked.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ');
    throw new Error(`${what} does not check: ${errors}`);
  }
  return buildTimeline(analysis.run);
}

/** A scenario by path relative to the repository root (or absolute). */
export function timelineOfFile(file: string): TimelinePayload {
  const full = path.isAbsolute(file) ? file : path.join(ROOT, file);
  return timelineOfText(fs.readFileSync(full, 'utf8'), file);
}
