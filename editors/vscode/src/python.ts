/**
 * Choosing a Python for the private venv: the first candidate that runs and is
 * at least 3.11. Too-old interpreters are remembered so the message can name them.
 */
export const MINIMUM: readonly [number, number] = [3, 11];

export type RunVersion = (python: string) => Promise<[number, number] | undefined>;

export interface PythonChoice {
  python?: string;
  version?: [number, number];
  tooOld: string[];
}

export function parseVersion(text: string): [number, number] | undefined {
  const match = /(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export function isRecentEnough(version: [number, number]): boolean {
  return version[0] > MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] >= MINIMUM[1]);
}

export async function choosePython(candidates: string[], run: RunVersion): Promise<PythonChoice> {
  const tooOld: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const version = await run(python);
    if (!version) continue;
    if (isRecentEnough(version)) return { python, version, tooOld };
    tooOld.push(`${python} (${version.join(".")})`);
  }
  return { tooOld };
}

export function noPythonMessage(choice: PythonChoice): string {
  const need = `Python ${MINIMUM.join(".")} or newer`;
  if (choice.tooOld.length) {
    return `backend-lsp needs ${need}; found only ${choice.tooOld.join(", ")}. Install a newer Python (python.org or your package manager), select it in VS Code, then run "backend-lsp: Restart server".`;
  }
  return `backend-lsp needs ${need} and none was found. Install Python ${MINIMUM.join(".")}+, select it in VS Code, then run "backend-lsp: Restart server".`;
}
