import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { calls, context, install } from "./vscode-stub";

install();

const packageJson = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));

test("activate registers every contributed command and offers Install when no server is found", async () => {
  const previousPath = process.env.PATH;
  process.env.PATH = mkdtempSync(path.join(tmpdir(), "no-server-"));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require("../extension");
    await extension.activate(context(mkdtempSync(path.join(tmpdir(), "storage-"))));
    const contributed = packageJson.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...calls.commands.keys()].sort(), contributed);
    assert.equal(calls.info.length, 1);
    assert.match(calls.info[0], /no server found/);
    assert.ok(calls.output.some((line) => line.includes("backendLsp.server.path is not set")));
    assert.ok(calls.output.some((line) => line.includes("no backend-lsp on PATH")));
  } finally {
    process.env.PATH = previousPath;
  }
});

test("the API key never reaches the output channel", async () => {
  const run = calls.commands.get("backendLsp.showOutput");
  assert.ok(run);
  calls.secrets.set("backendLsp.apiKey", "sk-ant-test-secret");
  await calls.commands.get("backendLsp.clearApiKey")?.();
  assert.equal(calls.secrets.has("backendLsp.apiKey"), false);
  assert.ok(calls.output.some((line) => line.includes("API key changed; restarting the server")));
  assert.ok(!calls.output.some((line) => line.includes("sk-ant-test-secret")));
});
