/**
 * Custom LSP requests and notifications between the DSync client and server,
 * declared once with their types and imported by both sides.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ModelName } from '../core/history/models';
import type { HistoryFormat } from '../core/history/read';
import type { HistoryViewPayload } from '../core/history/view';
import type { TimelinePayload } from '../core/sim/timeline';

export type { TimelinePayload };

export interface RunScenarioParams {
  readonly uri: string;
  /** Overrides the scenario's seed (Run with Seed…). */
  readonly seed?: number;
}

export type RunScenarioResult =
  | { readonly ok: true; readonly timeline: TimelinePayload; readonly summary: string; readonly passed: boolean }
  | { readonly ok: false; readonly message: string };

/** Runs the document's scenario now (with an optional seed) and returns its timeline. */
export const RunScenarioRequest = new RequestType<RunScenarioParams, RunScenarioResult, void>('dsync/runScenario');

export type DocumentState = 'checking' | 'simulating' | 'passed' | 'failed' | 'invalid' | 'stopped';

export interface StatusParams {
  readonly uri: string;
  readonly version: number;
  readonly state: DocumentState;
  /** Short text for the status bar: "2 invariants hold", "1 violation", "3 errors". */
  readonly text: string;
}

/** Server → client: the analysis state of a document changed. */
export const StatusNotification = new NotificationType<StatusParams>('dsync/status');

export interface TimelineUpdateParams {
  readonly uri: string;
  readonly version: number;
  readonly timeline: TimelinePayload;
}

/** Server → client: a fresh simulation of an open document finished (the timeline follows typing). */
export const TimelineUpdateNotification = new NotificationType<TimelineUpdateParams>('dsync/timelineUpdate');

/** Settings the server reads (section `dsync`). */
export interface DsyncSettings {
  readonly seed: number | null;
  readonly simulation: {
    readonly maxEvents: number;
    readonly maxMilliseconds: number;
    /** Memory budget of one document's recorded trace, in MiB (with maxEvents it bounds the server's memory). */
    readonly maxTraceMegabytes: number;
  };
}

export const DEFAULT_SETTINGS: DsyncSettings = { seed: null, simulation: { maxEvents: 200_000, maxMilliseconds: 2_000, maxTraceMegabytes: 256 } };

export interface FollowTimelineParams {
  /** The document whose timeline the client shows; null when the timeline is closed. */
  readonly uri: string | null;
}

/** Client → server: send TimelineUpdate notifications for this document after each re-simulation. */
export const FollowTimelineNotification = new NotificationType<FollowTimelineParams>('dsync/followTimeline');

/** Default budget of the editor's exploration (its code lens says so). */
export const EXPLORE_RUNS = 1000;

export interface ExploreParams {
  readonly uri: string;
  /** Seeds to try (default EXPLORE_RUNS). */
  readonly runs?: number;
  /** Candidates the shrinker may try (default 200; each takes one or more simulations, 3,000 at most in all). */
  readonly shrinkAttempts?: number;
}

export type ExploreResult =
  | {
      readonly ok: true;
      readonly runs: number;
      readonly events: number;
      readonly elapsedMs: number;
      readonly cancelled: boolean;
      readonly distinctStates: number;
      readonly counters: Readonly<Record<string, number>>;
      /** The lowest failing seed, and the scenario it was shrunk to (a `.dsync` text that replays it) with what shrinking took. */
      readonly failure?: { readonly seed: number; readonly invariant: string; readonly message: string; readonly shrunk?: string; readonly shrinking?: ShrinkCounts };
    }
  | { readonly ok: false; readonly message: string };

/** What shrinking a failure took: candidates tried, simulations run, fault statements before and after. */
export interface ShrinkCounts {
  readonly attempts: number;
  readonly runs: number;
  readonly faultsBefore: number;
  readonly faultsAfter: number;
}

/** Explores many seeds of the document's scenario; cancellable (the request's cancellation token). */
export const ExploreRequest = new RequestType<ExploreParams, ExploreResult, void>('dsync/explore');

export interface ExploreProgressParams {
  readonly uri: string;
  readonly runs: number;
  readonly total: number;
  /** 'explore' while running seeds (`runs` of them), 'shrink' while shrinking a failure (`runs` simulations so far). */
  readonly phase: 'explore' | 'shrink';
}

/** Server → client: how far a running exploration is. */
export const ExploreProgressNotification = new NotificationType<ExploreProgressParams>('dsync/exploreProgress');

export type { HistoryViewPayload };

export interface CheckHistoryParams {
  /** The history file (for the panel's title and for revealing lines); its text comes with the request. */
  readonly uri: string;
  readonly text: string;
  /** The file's name as the user knows it (workspace-relative). */
  readonly file: string;
  readonly model: ModelName;
  /** Detected from the content when absent, as `dsync lin` does. */
  readonly format?: HistoryFormat;
  /** Search steps per key (dsync lin --max-steps). */
  readonly maxSteps?: number;
}

export type CheckHistoryResult =
  | { readonly ok: true; readonly view: HistoryViewPayload; readonly elapsedMs: number }
  /** Bad input: the message and where (1-based), as `dsync lin` reports it; or the check was cancelled (line 0). */
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

/**
 * Checks a history for linearizability (dsync lin's core) and lays it out
 * for the history webview. Runs in a worker thread; cancellable.
 */
export const CheckHistoryRequest = new RequestType<CheckHistoryParams, CheckHistoryResult, void>('dsync/checkHistory');
