import { strict as assert } from "node:assert";
import { test } from "node:test";
import { renderContext } from "../context";
import { findServer, scriptBeside, type Probes } from "../discovery";
import { scrub, serverEnvironment } from "../environment";
import { choosePython, noPythonMessage, parseVersion } from "../python";
import { contributedKeys, userSettings } from "../settings";
import { statusText } from "../status";

function probes(executables: string[], python?: string): Probes {
  return {
    isExecutable: async (file) => executables.includes(file),
    pathDirs: () => ["/usr/local/bin", "/usr/bin"],
    selectedPython: async () => python,
    privateServer: () => "/storage/venv/bin/backend-lsp",
    platform: "linux",
  };
}

test("discovery: the setting wins over everything", async () => {
  const lines: string[] = [];
  const found = await findServer("/opt/bl", probes(["/opt/bl", "/usr/bin/backend-lsp"]), (l) => lines.push(l));
  assert.deepEqual(found, { command: "/opt/bl", source: "setting" });
});

test("discovery: a broken setting falls through to the selected environment, and says so", async () => {
  const lines: string[] = [];
  const found = await findServer(
    "/missing",
    probes(["/home/u/.venv/bin/backend-lsp", "/usr/bin/backend-lsp"], "/home/u/.venv/bin/python"),
    (l) => lines.push(l),
  );
  assert.deepEqual(found, { command: "/home/u/.venv/bin/backend-lsp", source: "python-environment" });
  assert.match(lines[0], /not an executable file/);
});

test("discovery: PATH, then the private venv, then nothing", async () => {
  const lines: string[] = [];
  assert.equal((await findServer("", probes(["/usr/bin/backend-lsp"], "/p/bin/python"), (l) => lines.push(l)))?.source, "path");
  assert.equal((await findServer("", probes(["/storage/venv/bin/backend-lsp"]), (l) => lines.push(l)))?.source, "private-venv");
  lines.length = 0;
  assert.equal(await findServer("", probes([]), (l) => lines.push(l)), undefined);
  assert.deepEqual(lines, [
    "server: backendLsp.server.path is not set",
    "server: no Python environment selected in VS Code",
    "server: no backend-lsp on PATH",
    "server: no private environment installed yet",
  ]);
});

test("discovery: Windows scripts live in Scripts\\ beside python.exe", () => {
  assert.equal(scriptBeside("C:\\env\\Scripts\\python.exe", "win32"), "C:\\env\\Scripts\\backend-lsp.exe");
});

test("python: the first 3.11+ wins; too-old ones are named in the message", async () => {
  const versions: Record<string, [number, number]> = { python3: [3, 9], "python3.12": [3, 12] };
  const choice = await choosePython(["python3.13", "python3", "python3.12"], async (p) => versions[p]);
  assert.equal(choice.python, "python3.12");
  assert.deepEqual(choice.tooOld, ["python3 (3.9)"]);
  const none = await choosePython(["python3"], async (p) => versions[p]);
  assert.equal(none.python, undefined);
  assert.match(noPythonMessage(none), /needs Python 3\.11 or newer; found only python3 \(3\.9\)/);
  assert.deepEqual(parseVersion("3.11\n"), [3, 11]);
  assert.equal(parseVersion("garbage"), undefined);
});

test("environment: the key goes to the server's environment and is scrubbed from text", () => {
  const env = serverEnvironment({ PATH: "/bin" }, "sk-secret");
  assert.equal(env.ANTHROPIC_API_KEY, "sk-secret");
  assert.equal(serverEnvironment({ PATH: "/bin" }, undefined).ANTHROPIC_API_KEY, undefined);
  assert.equal(scrub("failed with sk-secret twice sk-secret", "sk-secret"), "failed with [api key] twice [api key]");
});

test("settings: only user-set values are sent, nested, without the extension's own keys", () => {
  const set: Record<string, object> = {
    "agent.model": { globalValue: "claude-x" },
    "analysis.debounceMs": { globalValue: 100, workspaceValue: 300 },
    "server.path": { globalValue: "/opt/bl" },
    "agent.maxTokens": {},
  };
  const keys = contributedKeys(
    { contributes: { configuration: { properties: Object.fromEntries(Object.keys(set).map((k) => [`backendLsp.${k}`, {}])) } } },
    "backendLsp",
  );
  assert.deepEqual(userSettings(keys, (key) => set[key]), {
    agent: { model: "claude-x" },
    analysis: { debounceMs: 300 },
  });
});

test("status bar: provider, tokens, cost and a spinner while running", () => {
  assert.equal(statusText(undefined, false), "$(server-process) backend-lsp: offline");
  assert.equal(
    statusText({ provider: "anthropic", available: true, usage: { input_tokens: 1200, output_tokens: 300, cost_usd: 0.0123 } }, true),
    "$(sync~spin) backend-lsp: Anthropic · 1,500 tok · $0.0123",
  );
});

test("context: each item with its lines, tokens and reason", () => {
  const text = renderContext("app.py:3-9", {
    items: [{ path: "app.py", start_line: 3, end_line: 9, reason: "selection", tokens: 120 }],
    tokens: 120,
    budget: 12000,
  });
  assert.match(text, /120 of 12,000 tokens/);
  assert.match(text, /\| app\.py \| 3-9 \| 120 \| selection \|/);
});
