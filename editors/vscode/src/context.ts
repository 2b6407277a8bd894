/** Rendering `backend-lsp context --json` as a read-only document: each item, why, and its tokens. */
export interface ContextItem {
  path: string;
  start_line: number;
  end_line: number;
  reason: string;
  tokens: number;
}

export interface ContextJson {
  items: ContextItem[];
  tokens: number;
  budget: number;
}

export function renderContext(target: string, data: ContextJson): string {
  const lines = [
    `# Context an action on ${target} would send`,
    "",
    `${data.tokens.toLocaleString("en-US")} of ${data.budget.toLocaleString("en-US")} tokens (redacted before sending)`,
    "",
    "| item | lines | tokens | reason |",
    "| --- | --- | ---: | --- |",
  ];
  for (const item of data.items) {
    lines.push(`| ${item.path} | ${item.start_line}-${item.end_line} | ${item.tokens} | ${item.reason} |`);
  }
  return lines.join("\n") + "\n";
}
