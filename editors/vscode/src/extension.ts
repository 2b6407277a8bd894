/**
 * The VS Code front end of backend-lsp: finds (or installs) the server, starts it
 * with the API key from SecretStorage, and adds commands and a status bar on top of
 * plain LSP (code actions and the server's backend-lsp.* commands).
 */
import { execFile } from "node:child_process";
import { promises as fs, constants as fsConstants } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { renderContext, type ContextJson } from "./context";
import { findServer, type Probes } from "./discovery";
import { scrub, serverEnvironment } from "./environment";
import { ServerProgress } from "./progress";
import { choosePython, noPythonMessage, parseVersion } from "./python";
import { contributedKeys, userSettings } from "./settings";
import { statusText, type AgentStatus } from "./status";

const run = promisify(execFile);
const SECRET = "backendLsp.apiKey";
const CONTEXT_SCHEME = "backend-lsp-context";
const CONTEXT_COMMAND = "backend-lsp.context";
const CLEAR_CACHE_COMMAND = "backend-lsp.clearCache";

let client: LanguageClient | undefined;
let serverCommand: string | undefined;
let output: vscode.LogOutputChannel;
let statusItem: vscode.StatusBarItem;
let running: vscode.CancellationTokenSource | undefined;
let progress: ServerProgress | undefined;
let lastStatus: AgentStatus | undefined;
let apiKey: string | undefined;

function log(line: string): void {
  output.appendLine(scrub(line, apiKey));
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function venvDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, "venv");
}

function venvBin(context: vscode.ExtensionContext, name: string): string {
  const win = process.platform === "win32";
  return path.join(venvDir(context), win ? "Scripts" : "bin", win ? `${name}.exe` : name);
}

/** The interpreter selected in VS Code: Python Environments API first, then the Python extension's. */
async function selectedPython(): Promise<string | undefined> {
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  try {
    const envs = vscode.extensions.getExtension("ms-python.vscode-python-envs");
    if (envs) {
      const api: any = envs.isActive ? envs.exports : await envs.activate();
      const environment = await api?.getEnvironment?.(resource);
      const executable = environment?.execInfo?.run?.executable;
      if (typeof executable === "string") return executable;
    }
    const python = vscode.extensions.getExtension("ms-python.python");
    if (python) {
      const api: any = python.isActive ? python.exports : await python.activate();
      const active = api?.environments?.getActiveEnvironmentPath?.(resource);
      if (active?.path) {
        const resolved = await api.environments.resolveEnvironment?.(active.path);
        return resolved?.executable?.uri?.fsPath ?? active.path;
      }
    }
  } catch (error) {
    log(`server: asking the Python extension failed: ${String(error)}`);
  }
  return undefined;
}

function probes(context: vscode.ExtensionContext): Probes {
  return {
    isExecutable,
    pathDirs: () => (process.env.PATH ?? "").split(path.delimiter).filter(Boolean),
    selectedPython,
    privateServer: () => venvBin(context, "backend-lsp"),
    platform: process.platform,
  };
}

async function pythonVersion(python: string): Promise<[number, number] | undefined> {
  try {
    const { stdout } = await run(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
      timeout: 10_000,
    });
    return parseVersion(stdout);
  } catch {
    return undefined;
  }
}

/** Create the private venv and install the wheel shipped in the .vsix (dependencies from PyPI). */
async function installPrivate(context: vscode.ExtensionContext): Promise<string | undefined> {
  const selected = await selectedPython();
  const candidates = [selected, "python3.14", "python3.13", "python3.12", "python3.11", "python3", "python"].filter(
    (c): c is string => Boolean(c),
  );
  const choice = await choosePython(candidates, pythonVersion);
  if (!choice.python) {
    const message = noPythonMessage(choice);
    log(`install: ${message}`);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  const wheels = (await fs.readdir(path.join(context.extensionPath, "server")).catch(() => [] as string[])).filter(
    (name) => name.endsWith(".whl"),
  );
  if (!wheels.length) {
    void vscode.window.showErrorMessage("This backend-lsp extension was packaged without its server wheel.");
    return undefined;
  }
  const wheel = path.join(context.extensionPath, "server", wheels[0]);
  const python = choice.python;
  log(`install: using ${python} (Python ${choice.version?.join(".")}) for ${venvDir(context)}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Installing backend-lsp", cancellable: false },
    async (progress) => {
      try {
        await fs.mkdir(context.globalStorageUri.fsPath, { recursive: true });
        progress.report({ message: `creating a virtual environment with ${python} ${choice.version?.join(".")}` });
        await run(python, ["-m", "venv", venvDir(context)], { timeout: 120_000 });
        progress.report({ message: `installing ${wheels[0]} and its dependencies` });
        const { stdout, stderr } = await run(
          venvBin(context, "python"),
          ["-m", "pip", "install", "--disable-pip-version-check", "--upgrade", wheel],
          { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
        );
        log(stdout + stderr);
        return venvBin(context, "backend-lsp");
      } catch (error) {
        log(`install: failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`Installing backend-lsp failed; see "backend-lsp: Show output".`);
        return undefined;
      }
    },
  );
}

async function resolveServer(context: vscode.ExtensionContext): Promise<string | undefined> {
  const setting = vscode.workspace.getConfiguration("backendLsp").get<string>("server.path", "");
  const found = await findServer(setting, probes(context), log);
  if (found) return found.command;
  const choice = await vscode.window.showInformationMessage(
    "backend-lsp: no server found. Install it into a private environment for this extension?",
    "Install",
  );
  return choice === "Install" ? installPrivate(context) : undefined;
}

function busy(): boolean {
  return running !== undefined || progress?.active === true;
}

function setRunning(source: vscode.CancellationTokenSource | undefined): void {
  running = source;
  statusItem.text = statusText(lastStatus, busy());
}

/** Every server command goes through here, so the spinner and Cancel cover lightbulb actions too. */
async function executeServerCommand(command: string, args: unknown[]): Promise<unknown> {
  if (!client) throw new Error("backend-lsp is not running");
  const source = new vscode.CancellationTokenSource();
  const agent = command === "backend-lsp.runAction";
  if (agent) setRunning(source);
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, source.token);
  } finally {
    if (agent) {
      setRunning(undefined);
      void refreshStatus();
    }
    source.dispose();
  }
}

async function refreshStatus(): Promise<void> {
  if (!client) return;
  try {
    const status: any = await client.sendRequest(ExecuteCommandRequest.type, {
      command: "backend-lsp.status",
      arguments: [],
    });
    lastStatus = status?.agent;
  } catch (error) {
    log(`status: ${String(error)}`);
  }
  statusItem.text = statusText(lastStatus, busy());
  statusItem.tooltip = busy() ? "backend-lsp: an agent is running (click to cancel)" : "backend-lsp: show output";
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  serverCommand = await resolveServer(context);
  if (!serverCommand) {
    statusItem.text = "$(warning) backend-lsp: no server";
    return;
  }
  apiKey = await context.secrets.get(SECRET);
  const serverOptions: ServerOptions = {
    command: serverCommand,
    args: ["serve"],
    options: { env: serverEnvironment(process.env, apiKey) },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file" }],
    outputChannel: output,
    synchronize: { configurationSection: "backendLsp" },
    middleware: {
      workspace: {
        configuration: (params) =>
          params.items.map((item) => {
            const config = vscode.workspace.getConfiguration(
              "backendLsp",
              item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined,
            );
            return userSettings(contributedKeys(context.extension.packageJSON, "backendLsp"), (key) =>
              config.inspect(key),
            );
          }),
      },
      executeCommand: (command, args) => executeServerCommand(command, args),
      window: {
        // Explanations open in the markdown preview beside the code.
        showDocument: async (params, token, next) => {
          if (params.uri.endsWith(".md")) {
            await vscode.commands.executeCommand("markdown.showPreviewToSide", vscode.Uri.parse(params.uri));
            return { success: true };
          }
          return next(params, token);
        },
      },
    },
  };
  client = new LanguageClient("backendLsp", "backend-lsp", serverOptions, clientOptions);
  await client.start();
  // After start: languageclient installs its own progress handler while starting.
  progress = new ServerProgress(client, () => (statusItem.text = statusText(lastStatus, busy())));
  log(`server: started ${serverCommand} serve`);
  await refreshStatus();
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  progress?.dispose();
  progress = undefined;
  if (client) {
    await client.stop().catch((error: unknown) => log(`stop: ${String(error)}`));
    client = undefined;
  }
  await startClient(context);
}

interface Picked extends vscode.QuickPickItem {
  action: vscode.CodeAction;
}

function actionId(action: vscode.CodeAction): string | undefined {
  const arg = action.command?.arguments?.[0] as { action?: unknown } | undefined;
  return typeof arg?.action === "string" ? arg.action : undefined;
}

/** How many listed actions VS Code resolves: the server fills in commands and edits lazily. */
const RESOLVE_COUNT = 100;

/** The server's actions that apply to a range, resolved (edits and commands), and disabled ones. */
async function actionsAt(editor: vscode.TextEditor, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      editor.document.uri,
      range,
      undefined,
      RESOLVE_COUNT,
    )) ?? [];
  return all.filter(
    (action) => action.command?.command === "backend-lsp.runAction" || action.edit || action.disabled,
  );
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) await vscode.workspace.applyEdit(action.edit);
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

async function runAction(only?: string, wholeFile = false): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return void vscode.window.showInformationMessage("backend-lsp: open a file first.");
  const document = editor.document;
  const range = wholeFile
    ? new vscode.Range(0, 0, document.lineCount, 0)
    : editor.selection.isEmpty
      ? document.lineAt(editor.selection.active.line).range
      : editor.selection;
  const actions = await actionsAt(editor, range);
  if (only) {
    const match = actions.find((action) => actionId(action) === only);
    if (!match) return void vscode.window.showInformationMessage(`backend-lsp: "${only}" does not apply here.`);
    return apply(match);
  }
  if (!actions.length) return void vscode.window.showInformationMessage("backend-lsp: no action applies here.");
  const picked = await vscode.window.showQuickPick<Picked>(
    actions.map((action) => ({
      label: action.title,
      description: action.kind?.value,
      detail: action.disabled?.reason,
      action,
    })),
    { placeHolder: "backend-lsp: run an action" },
  );
  if (picked) {
    if (picked.action.disabled) return void vscode.window.showWarningMessage(picked.action.disabled.reason);
    await apply(picked.action);
  }
}

/** Whether the running server offers a command (older servers lack context/clearCache). */
function serverHas(command: string): boolean {
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  return commands.includes(command);
}

async function sendServerCommand(command: string, args: unknown[]): Promise<unknown> {
  if (!client) throw new Error("backend-lsp is not running");
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

interface ContextQuery {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  target: string;
}

/** The context the server would send: its backend-lsp.context command, else the CLI. */
async function fetchContext(query: ContextQuery): Promise<ContextJson> {
  if (serverHas(CONTEXT_COMMAND)) {
    return (await sendServerCommand(CONTEXT_COMMAND, [{ uri: query.uri, range: query.range }])) as ContextJson;
  }
  if (!serverCommand) throw new Error("backend-lsp is not running");
  log(`context: the server has no ${CONTEXT_COMMAND}; asking the CLI`);
  // The CLI reads nothing outside its root: the document's workspace folder, not our cwd.
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(query.uri))?.uri.fsPath;
  const root = folder ? ["--root", folder] : [];
  const { stdout } = await run(serverCommand, ["context", "--json", ...root, query.target], {
    cwd: folder,
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
    env: serverEnvironment(process.env, undefined),
  });
  return JSON.parse(stdout) as ContextJson;
}

class ContextProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = JSON.parse(uri.query) as ContextQuery;
    try {
      return renderContext(query.target, await fetchContext(query));
    } catch (error) {
      return `backend-lsp context ${query.target} failed:\n\n${String(error)}`;
    }
  }
}

async function showContext(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const { start, end } = editor.selection;
  const first = start.line + 1;
  const last = Math.max(first, end.line + 1);
  const query: ContextQuery = {
    uri: editor.document.uri.toString(),
    range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
    target: `${editor.document.uri.fsPath}:${first}-${last}`,
  };
  const uri = vscode.Uri.from({ scheme: CONTEXT_SCHEME, path: "/context.md", query: JSON.stringify(query) });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/** The server's backend-lsp.clearCache, else `backend-lsp cache clear --json`. */
async function clearCache(): Promise<void> {
  if (!serverCommand) return;
  try {
    let result: { removed?: number; path?: string };
    if (serverHas(CLEAR_CACHE_COMMAND)) {
      result = (await sendServerCommand(CLEAR_CACHE_COMMAND, [])) as typeof result;
    } else {
      log(`cache: the server has no ${CLEAR_CACHE_COMMAND}; asking the CLI`);
      const { stdout } = await run(serverCommand, ["cache", "clear", "--json"], { timeout: 60_000 });
      result = JSON.parse(stdout) as typeof result;
    }
    void vscode.window.showInformationMessage(
      `backend-lsp: removed ${result.removed ?? 0} cached response(s) from ${result.path ?? "the cache"}`,
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`backend-lsp: clearing the cache failed: ${String(error)}`);
  }
}

async function setApiKey(context: vscode.ExtensionContext): Promise<void> {
  const value = await vscode.window.showInputBox({
    prompt: "Anthropic API key (kept in VS Code's secret storage, never in settings)",
    password: true,
    ignoreFocusOut: true,
  });
  if (!value) return;
  await context.secrets.store(SECRET, value.trim());
}

async function statusBarClick(): Promise<void> {
  if (busy()) {
    const choice = await vscode.window.showInformationMessage("backend-lsp: an agent is running.", "Cancel");
    // The server stops the work by its progress token; $/cancelRequest only when it made none.
    if (choice === "Cancel" && !progress?.cancelAll()) running?.cancel();
    return;
  }
  output.show(true);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("backend-lsp", { log: true });
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  statusItem.command = "backendLsp.statusBarClick";
  statusItem.text = "$(sync~spin) backend-lsp";
  statusItem.show();
  const register = (id: string, fn: () => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register("backendLsp.runAction", () => runAction());
  register("backendLsp.explainSelection", () => runAction("explain"));
  register("backendLsp.reviewFile", () => runAction("review-security", true));
  register("backendLsp.showContext", showContext);
  register("backendLsp.clearCache", clearCache);
  register("backendLsp.restartServer", () => restart(context));
  register("backendLsp.showOutput", () => output.show(true));
  register("backendLsp.setApiKey", () => setApiKey(context));
  register("backendLsp.clearApiKey", () => context.secrets.delete(SECRET));
  register("backendLsp.statusBarClick", statusBarClick);
  context.subscriptions.push(
    output,
    statusItem,
    vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, new ContextProvider()),
    // A new or cleared key reaches the server only through its environment: restart it.
    context.secrets.onDidChange((event) => {
      if (event.key === SECRET) {
        log("API key changed; restarting the server");
        void restart(context);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("backendLsp.server.path")) void restart(context);
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
