import { strict as assert } from "node:assert";
import { test } from "node:test";
import { calls, install } from "./vscode-stub";

install();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ServerProgress } = require("../progress") as typeof import("../progress");

/** A LanguageClient stand-in: records what is sent and lets the test play the server. */
function fakeClient() {
  const sent: { method: string; params: unknown }[] = [];
  const handlers = new Map<string, (params: { token: string }) => void>();
  const listeners = new Map<string, (value: object) => void>();
  const client = {
    onRequest: (type: { method: string }, handler: (params: { token: string }) => void) =>
      handlers.set(type.method, handler),
    onProgress: (_type: unknown, token: string, handler: (value: object) => void) => {
      listeners.set(token, handler);
      return { dispose: () => listeners.delete(token) };
    },
    sendNotification: (type: { method: string }, params: unknown) => sent.push({ method: type.method, params }),
  };
  const server = {
    create: (token: string) => handlers.get("window/workDoneProgress/create")?.({ token }),
    progress: (token: string, value: object) => listeners.get(token)?.(value),
  };
  return { client, server, sent, listeners };
}

test("progress: Cancel goes to the server as window/workDoneProgress/cancel with the work's token", async () => {
  const { client, server, sent, listeners } = fakeClient();
  let changes = 0;
  const progress = new ServerProgress(client as never, () => changes++);
  assert.equal(progress.cancelAll(), false, "nothing runs yet");
  server.create("backend-lsp/1");
  server.progress("backend-lsp/1", { kind: "begin", title: "Explain…", cancellable: true, message: "asking" });
  assert.equal(progress.active, true);
  const shown = calls.progress.at(-1);
  assert.equal(shown?.options.title, "Explain…");
  assert.deepEqual(shown?.messages, ["asking"]);

  assert.equal(progress.cancelAll(), true);
  assert.deepEqual(sent, [{ method: "window/workDoneProgress/cancel", params: { token: "backend-lsp/1" } }]);
  assert.ok(!sent.some((message) => message.method === "$/cancelRequest"));

  // The user's cancel in VS Code's own progress UI sends the same notification.
  shown?.cancel();
  assert.equal(sent.length, 2);

  server.progress("backend-lsp/1", { kind: "end" });
  await shown?.finished;
  assert.equal(progress.active, false);
  assert.equal(listeners.size, 0, "the token's listener is gone");
  assert.equal(changes, 2, "begin and end each update the status bar");
});

test("progress: work that is not cancellable is left alone", () => {
  const { client, server, sent } = fakeClient();
  const progress = new ServerProgress(client as never);
  server.create("t");
  server.progress("t", { kind: "begin", title: "Indexing", cancellable: false });
  assert.equal(progress.cancelAll(), false);
  assert.deepEqual(sent, []);
  progress.dispose();
  assert.equal(progress.active, false);
});
