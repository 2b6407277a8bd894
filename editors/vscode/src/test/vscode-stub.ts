/**
 * A minimal stand-in for the `vscode` module, installed through Node's resolver so the
 * compiled extension (tsc output, not the bundle) can be activated outside VS Code.
 */
import Module = require("node:module");
import * as path from "node:path";

export const calls = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  info: [] as string[],
  errors: [] as string[],
  output: [] as string[],
  secrets: new Map<string, string>(),
  secretListeners: [] as ((event: { key: string }) => void)[],
  progress: [] as ShownProgress[],
};

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  dispose(): void {
    this.onDispose();
  }
}

/** A window.withProgress call the test can inspect, cancel (as the user would) and await. */
export interface ShownProgress {
  options: { title?: string; cancellable?: boolean };
  messages: (string | undefined)[];
  cancel: () => void;
  finished: Promise<void>;
}

class EventEmitter<T> {
  listeners: ((value: T) => void)[] = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return new Disposable();
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {}
}

export const stub = {
  Disposable,
  EventEmitter,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { Window: 10, Notification: 15 },
  ViewColumn: { Beside: -2 },
  CancellationTokenSource: class {
    token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable() };
    cancel(): void {
      this.token.isCancellationRequested = true;
    }
    dispose(): void {}
  },
  Uri: { parse: (value: string) => ({ toString: () => value }), from: (parts: object) => parts },
  window: {
    createOutputChannel: () => ({
      appendLine: (line: string) => calls.output.push(line),
      show: () => undefined,
      dispose: () => undefined,
    }),
    createStatusBarItem: () => ({ text: "", show: () => undefined, dispose: () => undefined }),
    showInformationMessage: async (message: string) => {
      calls.info.push(message);
      return undefined; // the user dismisses every notification
    },
    withProgress: (
      options: ShownProgress["options"],
      task: (progress: { report: (value: { message?: string }) => void }, token: object) => Promise<void>,
    ) => {
      const listeners: (() => void)[] = [];
      const shown = { options, messages: [] as (string | undefined)[] } as ShownProgress;
      shown.cancel = () => listeners.forEach((listener) => listener());
      const token = {
        onCancellationRequested: (listener: () => void) => (listeners.push(listener), new Disposable()),
      };
      shown.finished = task({ report: ({ message }) => shown.messages.push(message) }, token);
      calls.progress.push(shown);
      return shown.finished;
    },
    showErrorMessage: async (message: string) => {
      calls.errors.push(message);
      return undefined;
    },
  },
  commands: {
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      calls.commands.set(id, fn);
      return new Disposable();
    },
    executeCommand: async () => undefined,
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback, inspect: () => undefined }),
    registerTextDocumentContentProvider: () => new Disposable(),
    onDidChangeConfiguration: () => new Disposable(),
  },
  extensions: { getExtension: () => undefined },
};

export function install(): void {
  const resolver = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const original = resolver._resolveFilename;
  const stubPath = path.join(__dirname, "vscode.virtual.js");
  // vscode-languageclient subclasses many vscode classes at import: any name the stub
  // lacks is a bare class, enough to load it; the tests only drive what the stub defines.
  const fake = new Module(stubPath);
  fake.filename = stubPath;
  fake.loaded = true;
  fake.exports = new Proxy(stub as Record<string | symbol, unknown>, {
    get: (target, name) => (name in target ? target[name] : class {}),
  });
  (require.cache as Record<string, unknown>)[stubPath] = fake;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? stubPath : original.call(this, request, ...rest);
  };
}

export function context(storage: string): object {
  return {
    subscriptions: [] as Disposable[],
    globalStorageUri: { fsPath: storage },
    extensionPath: storage,
    extension: { packageJSON: {} },
    secrets: {
      get: async (key: string) => calls.secrets.get(key),
      store: async (key: string, value: string) => {
        calls.secrets.set(key, value);
        for (const listener of calls.secretListeners) listener({ key });
      },
      delete: async (key: string) => {
        calls.secrets.delete(key);
        for (const listener of calls.secretListeners) listener({ key });
      },
      onDidChange: (listener: (event: { key: string }) => void) => {
        calls.secretListeners.push(listener);
        return new Disposable();
      },
    },
  };
}
