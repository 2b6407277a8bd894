/**
 * The server's work-done progress (agent runs, workspace analysis), shown in VS Code and
 * cancellable through its token. languageclient's own handler keeps the tokens to itself,
 * so the status bar could only send $/cancelRequest, which stops the request but not
 * always the work behind it; the server cancels its task by token
 * (window/workDoneProgress/cancel), so this replaces that handler and keeps the tokens.
 */
import * as vscode from "vscode";
import {
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type ProgressToken,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from "vscode-languageclient/node";

type Value = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** The part of LanguageClient this needs (a fake in the unit tests). */
export interface ProgressClient {
  onRequest(type: typeof WorkDoneProgressCreateRequest.type, handler: (params: { token: ProgressToken }) => void): unknown;
  onProgress(type: typeof WorkDoneProgress.type, token: ProgressToken, handler: (value: Value) => void): vscode.Disposable;
  sendNotification(type: typeof WorkDoneProgressCancelNotification.type, params: { token: ProgressToken }): unknown;
}

interface Part {
  cancellable: boolean;
  finish?: () => void;
  report?: (message: string | undefined) => void;
  listener: vscode.Disposable;
}

export class ServerProgress {
  private readonly parts = new Map<ProgressToken, Part>();

  /** @param changed called when a progress begins or ends (the status bar's spinner). */
  constructor(
    private readonly client: ProgressClient,
    private readonly changed: () => void = () => undefined,
  ) {
    client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => this.create(token));
  }

  /** Whether any server work with a progress token is running. */
  get active(): boolean {
    return this.parts.size > 0;
  }

  /** Ask the server to stop every cancellable piece of work; false when there is none. */
  cancelAll(): boolean {
    const tokens = [...this.parts].filter(([, part]) => part.cancellable).map(([token]) => token);
    for (const token of tokens) this.cancel(token);
    return tokens.length > 0;
  }

  cancel(token: ProgressToken): void {
    this.client.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  dispose(): void {
    for (const token of [...this.parts.keys()]) this.end(token);
  }

  private create(token: ProgressToken): void {
    const part: Part = { cancellable: false, listener: new vscode.Disposable(() => undefined) };
    part.listener = this.client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === "begin") this.begin(token, part, value);
      else if (value.kind === "report") part.report?.(value.message);
      else this.end(token);
    });
    this.parts.set(token, part);
  }

  private begin(token: ProgressToken, part: Part, value: WorkDoneProgressBegin): void {
    part.cancellable = value.cancellable === true;
    this.changed();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: value.title, cancellable: part.cancellable },
      (progress, cancelled) =>
        new Promise<void>((resolve) => {
          part.finish = resolve;
          part.report = (message) => progress.report({ message });
          part.report(value.message);
          cancelled.onCancellationRequested(() => this.cancel(token));
          if (!this.parts.has(token)) resolve();
        }),
    );
  }

  private end(token: ProgressToken): void {
    const part = this.parts.get(token);
    if (!part) return;
    this.parts.delete(token);
    part.listener.dispose();
    part.finish?.();
    this.changed();
  }
}
