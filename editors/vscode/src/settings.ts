/**
 * What the server gets through workspace/configuration: only the values the user set.
 * VS Code fills in every contributed default, and the workspace/configuration layer
 * outranks pyproject.toml on the server, so sending defaults would silently override
 * a project's [tool.backend-lsp]. The extension's own keys (server.*) stay here.
 */
export type Inspect = (key: string) => { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined;

const OWN_PREFIX = "server.";

export function userSettings(keys: string[], inspect: Inspect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key.startsWith(OWN_PREFIX)) continue;
    const seen = inspect(key);
    const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
    if (value === undefined) continue;
    const parts = key.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node[part] = (node[part] as Record<string, unknown> | undefined) ?? {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** Contributed keys under a section, without the section prefix. */
export function contributedKeys(packageJson: any, section: string): string[] {
  const props = packageJson?.contributes?.configuration?.properties ?? {};
  return Object.keys(props)
    .filter((key) => key.startsWith(`${section}.`))
    .map((key) => key.slice(section.length + 1));
}
