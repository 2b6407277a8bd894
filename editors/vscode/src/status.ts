/** Status bar text from backend-lsp.status: provider, session tokens and cost. */
export interface AgentStatus {
  provider?: string;
  available?: boolean;
  usage?: { input_tokens?: number; output_tokens?: number; cost_usd?: number | null };
}

export function providerLabel(agent: AgentStatus | undefined): string {
  if (!agent || agent.available === false || agent.provider === "offline") return "offline";
  if (agent.provider === "anthropic") return "Anthropic";
  if (agent.provider === "gateway") return "gateway";
  return agent.provider ?? "offline";
}

export function statusText(agent: AgentStatus | undefined, running: boolean): string {
  const icon = running ? "$(sync~spin)" : "$(server-process)";
  const usage = agent?.usage;
  const tokens = (usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0);
  let text = `${icon} backend-lsp: ${providerLabel(agent)}`;
  if (tokens > 0) text += ` · ${tokens.toLocaleString("en-US")} tok`;
  if (typeof usage?.cost_usd === "number") text += ` · $${usage.cost_usd.toFixed(4)}`;
  return text;
}
