import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/shared/requests';

/** The pass/fail of the active .dsync file, in the status bar; click to see its timeline. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dsync.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'DSync';
    this.item.command = 'dsync.showTimeline';
  }

  update(document: vscode.TextDocument | undefined, statuses: ReadonlyMap<string, StatusParams>): void {
    if (!document || document.languageId !== 'dsync') {
      this.item.hide();
      return;
    }
    const status = statuses.get(document.uri.toString());
    const icon = !status ? '$(loading~spin)' : ICONS[status.state];
    const label = vscode.l10n.t('DSync: {0}', status?.text ?? vscode.l10n.t('checking…'));
    this.item.text = `${icon} ${label}`;
    this.item.tooltip = status
      ? vscode.l10n.t('{0}: {1} (version {2}). Click to show the timeline.', document.uri.path.split('/').pop() ?? '', status.text, status.version)
      : vscode.l10n.t('DSync is analysing this file');
    this.item.backgroundColor = status?.state === 'failed' || status?.state === 'invalid' ? new vscode.ThemeColor('statusBarItem.errorBackground') : status?.state === 'stopped' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

const ICONS: Record<StatusParams['state'], string> = {
  checking: '$(loading~spin)',
  simulating: '$(loading~spin)',
  passed: '$(pass)',
  failed: '$(error)',
  invalid: '$(warning)',
  stopped: '$(watch)',
};
