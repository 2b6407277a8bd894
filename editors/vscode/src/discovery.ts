/**
 * Finding the backend-lsp executable. Pure logic over injected probes so the
 * order (setting, selected Python environment, PATH, private venv) is testable
 * without VS Code; every step is logged so a user can see why a server was chosen.
 */
import * as path from "node:path";

export interface Probes {
  /** Whether an executable file exists at this path. */
  isExecutable(file: string): Promise<boolean>;
  /** Directories on PATH. */
  pathDirs(): string[];
  /** The interpreter of the Python environment selected in VS Code, if any. */
  selectedPython(): Promise<string | undefined>;
  /** The private venv's executable (in global storage), if installed. */
  privateServer(): string;
  platform: NodeJS.Platform;
}

export interface Found {
  command: string;
  source: "setting" | "python-environment" | "path" | "private-venv";
}

function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "backend-lsp.exe" : "backend-lsp";
}

/** The scripts directory next to a Python interpreter (bin/ or Scripts/). */
export function scriptBeside(python: string, platform: NodeJS.Platform): string {
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  const dirname = platform === "win32" ? path.win32.dirname : path.posix.dirname;
  return join(dirname(python), exeName(platform));
}

export async function findServer(
  settingPath: string,
  probes: Probes,
  log: (line: string) => void,
): Promise<Found | undefined> {
  if (settingPath.trim()) {
    if (await probes.isExecutable(settingPath)) {
      log(`server: using backendLsp.server.path = ${settingPath}`);
      return { command: settingPath, source: "setting" };
    }
    log(`server: backendLsp.server.path = ${settingPath} is not an executable file; trying the next place`);
  } else {
    log("server: backendLsp.server.path is not set");
  }
  const python = await probes.selectedPython();
  if (python) {
    const candidate = scriptBeside(python, probes.platform);
    if (await probes.isExecutable(candidate)) {
      log(`server: found ${candidate} in the selected Python environment (${python})`);
      return { command: candidate, source: "python-environment" };
    }
    log(`server: no backend-lsp in the selected Python environment (${python})`);
  } else {
    log("server: no Python environment selected in VS Code");
  }
  for (const dir of probes.pathDirs()) {
    const candidate = path.join(dir, exeName(probes.platform));
    if (await probes.isExecutable(candidate)) {
      log(`server: found ${candidate} on PATH`);
      return { command: candidate, source: "path" };
    }
  }
  log("server: no backend-lsp on PATH");
  const own = probes.privateServer();
  if (await probes.isExecutable(own)) {
    log(`server: using the private environment ${own}`);
    return { command: own, source: "private-venv" };
  }
  log("server: no private environment installed yet");
  return undefined;
}
