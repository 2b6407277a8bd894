-- The agent's actions from user commands: list the ones that apply at the cursor (a
-- textDocument/codeAction request, the same the server answers for vim.lsp.buf.code_action),
-- run one through backend-lsp.runAction, and cancel what is running.
local M = {}

local ACTION_SOURCE = "agent" -- data.source of the server's agent actions
local AGENT_KINDS = { "refactor", "source.backend" }

-- Requests this plugin started (client id -> request ids) and the server's live progress
-- tokens (from $/progress), so :BackendCancel can stop either.
local pending = {}
local tokens = {}
-- While > 0, window/showDocument for an explanation is answered without opening a window:
-- :BackendExplain shows the markdown in a float instead.
M.quiet_show = 0

local function notify(msg, level)
  vim.notify("backend-lsp: " .. msg, level or vim.log.levels.INFO)
end

local function is_agent_kind(kind)
  for _, prefix in ipairs(AGENT_KINDS) do
    if kind == prefix or vim.startswith(kind or "", prefix .. ".") then
      return true
    end
  end
  return false
end

--- The LSP range for a command: its line range when it was given one, else the cursor.
function M.range(bufnr, client, cmd_opts)
  if cmd_opts ~= nil and cmd_opts.range ~= nil and cmd_opts.range > 0 then
    return {
      start = { line = cmd_opts.line1 - 1, character = 0 },
      ["end"] = { line = cmd_opts.line2, character = 0 },
    }
  end
  return vim.lsp.util.make_range_params(0, client.offset_encoding).range
end

--- The whole buffer as an LSP range.
function M.whole(bufnr)
  return {
    start = { line = 0, character = 0 },
    ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 },
  }
end

local function line_diagnostics(bufnr, range)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.lnum >= range.start.line and d.lnum <= range["end"].line then
      local lsp = d.user_data and d.user_data.lsp
      if lsp ~= nil then
        table.insert(found, lsp)
      end
    end
  end
  return found
end

--- The agent's actions that apply to range (synchronous; used for completion too).
function M.list(client, bufnr, range)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = line_diagnostics(bufnr, range), triggerKind = 1 },
  }
  local reply = client:request_sync("textDocument/codeAction", params, 5000, bufnr)
  if reply == nil or reply.err ~= nil then
    return nil, reply and reply.err and reply.err.message or "no answer from the server"
  end
  local actions = {}
  for _, action in ipairs(reply.result or {}) do
    local data = type(action.data) == "table" and action.data or {}
    if data.source == ACTION_SOURCE and is_agent_kind(action.kind) and action.disabled == nil then
      table.insert(actions, action)
    end
  end
  return actions
end

--- Ask for the command (codeAction/resolve) when the listing left it out.
local function command_of(client, bufnr, action)
  if action.command ~= nil then
    return action.command
  end
  local reply = client:request_sync("codeAction/resolve", action, 5000, bufnr)
  if reply == nil or reply.err ~= nil then
    return nil, reply and reply.err and reply.err.message or "resolve got no answer"
  end
  return reply.result and reply.result.command
end

--- Run one action; on_done(err, result). The server applies edits through workspace/applyEdit
--- (Neovim's handler) and reports progress through $/progress.
function M.run(client, bufnr, action, on_done)
  local command, why = command_of(client, bufnr, action)
  if command == nil then
    on_done({ message = why or "the server gave no command for this action" }, nil)
    return
  end
  local ok, request_id
  ok, request_id = client:request("workspace/executeCommand", {
    command = command.command,
    arguments = command.arguments,
  }, function(err, result)
    local mine = pending[client.id] or {}
    mine[request_id] = nil
    on_done(err, result)
  end, bufnr)
  if not ok then
    on_done({ message = "the server is not running" }, nil)
    return
  end
  pending[client.id] = pending[client.id] or {}
  pending[client.id][request_id] = on_done
end

--- Track the server's work-done progress tokens (LspProgress autocommand payload).
function M.on_progress(client_id, params)
  local value = params and params.value
  if type(value) ~= "table" then
    return
  end
  tokens[client_id] = tokens[client_id] or {}
  if value.kind == "begin" then
    tokens[client_id][params.token] = value.title or "working"
  elseif value.kind == "report" then
    local title = tokens[client_id][params.token]
    if title ~= nil and value.message then
      tokens[client_id][params.token] = title:gsub(":.*$", "") .. ": " .. value.message
    end
  elseif value.kind == "end" then
    tokens[client_id][params.token] = nil
  end
end

--- What is running, as short titles.
function M.running(client_id)
  local titles = {}
  for _, title in pairs(tokens[client_id] or {}) do
    table.insert(titles, title)
  end
  table.sort(titles)
  return titles
end

--- Cancel everything the server is working on for this client; returns how many.
function M.cancel(client)
  local count = 0
  for token in pairs(tokens[client.id] or {}) do
    client:notify("window/workDoneProgress/cancel", { token = token })
    count = count + 1
  end
  -- Neovim drops the callback of a request answered with RequestCancelled, so the
  -- waiting command is told here.
  local mine = pending[client.id] or {}
  pending[client.id] = {}
  for request_id, on_done in pairs(mine) do
    client:cancel_request(request_id)
    on_done({ code = -32800, message = "cancelled" }, nil)
    count = math.max(count, 1)
  end
  return count
end

--- A finished action, told in one line (and the explanation in a float).
function M.report(err, result)
  if err ~= nil then
    local cancelled = err.code == -32800 or tostring(err.message):lower():find("cancel") ~= nil
    notify(cancelled and "cancelled" or ("the action failed: " .. tostring(err.message)),
      cancelled and vim.log.levels.INFO or vim.log.levels.ERROR)
    return
  end
  if type(result) ~= "table" then
    return
  end
  if result.ok == false then
    return -- the server already said why (window/showMessage)
  end
  if type(result.explanation) == "string" then
    M.float(result.explanation)
  end
  local parts = {}
  if result.applied then
    table.insert(parts, ("%d edit%s applied"):format(result.edits or 0, result.edits == 1 and "" or "s"))
  end
  if result.findings ~= nil then
    table.insert(parts, ("%d finding%s"):format(result.findings, result.findings == 1 and "" or "s"))
  end
  if type(result.summary) == "string" and result.summary ~= "" then
    table.insert(parts, result.summary)
  end
  if #parts > 0 then
    notify(table.concat(parts, "; "))
  end
end

--- Markdown in a floating window beside the cursor (q or moving away closes it).
function M.float(markdown)
  local lines = vim.split(markdown, "\n", { plain = true })
  local buf, win = vim.lsp.util.open_floating_preview(lines, "markdown", {
    border = "rounded",
    focus_id = "backend_lsp_explain",
    max_width = math.max(40, math.floor(vim.o.columns * 0.6)),
    max_height = math.max(10, math.floor(vim.o.lines * 0.6)),
  })
  M.last_float = { buf = buf, win = win }
  return buf, win
end

return M
