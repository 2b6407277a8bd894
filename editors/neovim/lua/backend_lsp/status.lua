-- :BackendStatus as text a person reads: provider, model, tokens and cost, findings, index.
local M = {}

local severities = { "error", "warning", "info", "hint" }

local function findings_line(bufnr)
  local counts = { 0, 0, 0, 0 }
  local total = 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "backend-lsp" or d.source == "backend-agent" then
      counts[d.severity] = counts[d.severity] + 1
      total = total + 1
    end
  end
  if total == 0 then
    return "none in this buffer"
  end
  local parts = {}
  for i, name in ipairs(severities) do
    if counts[i] > 0 then
      table.insert(parts, ("%d %s%s"):format(counts[i], name, counts[i] == 1 and "" or "s"))
    end
  end
  return ("%d in this buffer (%s)"):format(total, table.concat(parts, ", "))
end

local function usage_line(usage)
  if type(usage) ~= "table" then
    return "no model calls yet"
  end
  local text = ("%d call%s, %d input + %d output tokens"):format(
    usage.calls or 0,
    (usage.calls or 0) == 1 and "" or "s",
    usage.input_tokens or 0,
    usage.output_tokens or 0
  )
  if (usage.cache_read_tokens or 0) > 0 then
    text = text .. (", %d read from the prompt cache"):format(usage.cache_read_tokens)
  end
  text = text .. (", ~$%.4f"):format(usage.estimated_cost_usd or 0)
  if (usage.cache_hits or 0) > 0 then
    text = text .. (", %d answered from the response cache"):format(usage.cache_hits)
  end
  if (usage.offline_calls or 0) > 0 then
    text = text .. (", %d offline"):format(usage.offline_calls)
  end
  return text
end

local function index_line(status)
  local index = status.index
  if type(index) == "table" then
    local parts = {}
    for key, value in pairs(index) do
      if type(value) ~= "table" then
        table.insert(parts, ("%s: %s"):format(key, tostring(value)))
      end
    end
    table.sort(parts)
    return table.concat(parts, ", ")
  end
  if index ~= nil and index ~= vim.NIL then
    return tostring(index)
  end
  return ("no project index; %d schema table%s known"):format(
    status.schemaTables or 0,
    status.schemaTables == 1 and "" or "s"
  )
end

--- The lines :BackendStatus shows for a backend-lsp.status result.
function M.lines(status, bufnr, progress)
  local agent = type(status.agent) == "table" and status.agent or {}
  local provider = tostring(agent.provider or "?")
  if agent.available == false then
    provider = provider .. " (AI actions off: " .. tostring(agent.reason or "unavailable") .. ")"
  end
  local settings = type(status.settings) == "table" and status.settings or {}
  local key = type(settings.agent) == "table" and settings.agent.api_key or "?"
  local lines = {
    ("# backend-lsp %s"):format(tostring(status.version or "?")),
    "",
    ("Provider:   %s"):format(provider),
    ("Model:      %s (agent %s)"):format(tostring(agent.model or "?"), tostring(agent.agent or "?")),
    ("API key:    %s"):format(tostring(key)),
    ("Session:    %s"):format(usage_line(agent.usage)),
    ("Findings:   %s"):format(findings_line(bufnr)),
    ("Index:      %s"):format(index_line(status)),
    ("Documents:  %d open, diagnostics by %s, positions in %s"):format(
      type(status.openDocuments) == "table" and #status.openDocuments or 0,
      tostring(status.diagnostics or "?"),
      tostring(status.positionEncoding or "?")
    ),
    ("Rules:      %s"):format(tostring(status.rules or "?")),
    ("Running:    %s"):format(#progress == 0 and "nothing" or table.concat(progress, "; ")),
  }
  if type(agent.cache) == "table" and agent.cache.enabled ~= false then
    local entries = agent.cache.entries or agent.cache.size
    table.insert(lines, ("Cache:      %s"):format(entries ~= nil and (tostring(entries) .. " entries") or "on"))
  end
  for _, problem in ipairs(type(agent.problems) == "table" and agent.problems or {}) do
    table.insert(lines, "Problem:    " .. tostring(problem))
  end
  return lines
end

return M
