-- backend-lsp for Neovim 0.11+: registers the server with vim.lsp.config and
-- enables it, plus a few user commands. Nothing starts until setup() is called.
local agent = require("backend_lsp.agent")
local cli = require("backend_lsp.cli")
local status = require("backend_lsp.status")

local M = {}

M.name = "backend_lsp"

local defaults = {
  -- Command that starts the server on stdio; point it at a virtualenv if needed,
  -- e.g. { "/path/.venv/bin/backend-lsp", "serve" } or { "python", "-m", "backend_lsp.lsp" }.
  cmd = { "backend-lsp", "serve" },
  filetypes = { "python", "javascript", "typescript", "typescriptreact", "go", "java", "sql" },
  root_markers = { "pyproject.toml", ".git" },
  -- Sent as workspace/configuration section "backendLsp" (same keys as pyproject's
  -- [tool.backend-lsp]), e.g. { analysis = { ignore = { "BE002" } } }.
  settings = {},
  init_options = {},
  -- Set to false to only register the config and call vim.lsp.enable() yourself.
  enable = true,
  -- Extra vim.lsp.Config fields (on_attach, capabilities, handlers...), merged last.
  lsp = {},
}

M.options = vim.deepcopy(defaults)

local function notify(msg, level)
  vim.notify("backend-lsp: " .. msg, level or vim.log.levels.INFO)
end

--- The running backend-lsp client for a buffer (or any buffer), if there is one.
function M.client(bufnr)
  local clients = vim.lsp.get_clients({ name = M.name, bufnr = bufnr })
  if #clients == 0 and bufnr ~= nil then
    clients = vim.lsp.get_clients({ name = M.name })
  end
  return clients[1]
end

--- Run a server command through workspace/executeCommand; on_result(result) on success.
function M.exec(command, arguments, on_result)
  local client = M.client(vim.api.nvim_get_current_buf())
  if client == nil then
    notify("no running server for this buffer (is the filetype supported?)", vim.log.levels.WARN)
    return
  end
  client:exec_cmd({ title = command, command = command, arguments = arguments or {} }, {
    bufnr = vim.api.nvim_get_current_buf(),
  }, function(err, result)
    if err ~= nil then
      notify(command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if on_result ~= nil then
      on_result(result)
    end
  end)
end

local function scratch(lines, filetype, name)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = filetype
  pcall(vim.api.nvim_buf_set_name, buf, name)
  vim.cmd("botright split")
  vim.api.nvim_win_set_buf(0, buf)
  vim.api.nvim_win_set_height(0, math.max(3, math.min(#lines + 1, 20)))
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, nowait = true })
  return buf
end

local function current()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if client == nil or not vim.lsp.buf_is_attached(bufnr, client.id) then
    notify("backend-lsp is not attached to this buffer (is the filetype supported?)", vim.log.levels.WARN)
    return nil
  end
  return client, bufnr
end

--- The agent actions that apply at the cursor (or the given lines), by id.
function M.actions(cmd_opts)
  local client, bufnr = current()
  if client == nil then
    return {}
  end
  local listed, err = agent.list(client, bufnr, agent.range(bufnr, client, cmd_opts))
  if listed == nil then
    notify("listing actions failed: " .. err, vim.log.levels.ERROR)
    return {}
  end
  return listed
end

--- Run the agent action `id` at the cursor (or over cmd_opts' lines / the whole buffer).
function M.run(id, cmd_opts, whole)
  local client, bufnr = current()
  if client == nil then
    return
  end
  local range = whole and agent.whole(bufnr) or agent.range(bufnr, client, cmd_opts)
  local listed, err = agent.list(client, bufnr, range)
  if listed == nil then
    notify("listing actions failed: " .. err, vim.log.levels.ERROR)
    return
  end
  local chosen
  for _, action in ipairs(listed) do
    if action.data.action == id then
      chosen = action
    end
  end
  if chosen == nil then
    local ids = vim.tbl_map(function(a) return a.data.action end, listed)
    notify(("%s does not apply here (available: %s)"):format(id, #ids > 0 and table.concat(ids, ", ") or "none"),
      vim.log.levels.WARN)
    return
  end
  local quiet = id == "explain"
  if quiet then
    agent.quiet_show = agent.quiet_show + 1
  end
  agent.run(client, bufnr, chosen, function(run_err, result)
    if quiet then
      agent.quiet_show = agent.quiet_show - 1
    end
    agent.report(run_err, result)
    if M.on_result ~= nil then
      M.on_result(id, run_err, result)
    end
  end)
end

local function action_command(cmd_opts)
  local id = cmd_opts.args
  if id ~= "" then
    M.run(id, cmd_opts)
    return
  end
  local listed = M.actions(cmd_opts)
  if #listed == 0 then
    notify("no agent action applies here")
    return
  end
  vim.ui.select(listed, {
    prompt = "Backend agent action",
    format_item = function(a) return ("%s  [%s]"):format(a.title, a.data.action) end,
  }, function(choice)
    if choice ~= nil then
      M.run(choice.data.action, cmd_opts)
    end
  end)
end

local function complete_ids()
  local ids = {}
  for _, action in ipairs(M.actions(nil)) do
    table.insert(ids, action.data.action)
  end
  return ids
end

--- :BackendStatus text for a status result (kept apart so it can be tested).
function M.status_lines(result, bufnr)
  local client = M.client(bufnr)
  return status.lines(result, bufnr, client and agent.running(client.id) or {})
end

local function show_status()
  local bufnr = vim.api.nvim_get_current_buf()
  M.exec("backend-lsp.status", {}, function(result)
    if type(result) ~= "table" then
      notify("status: unexpected answer " .. vim.inspect(result), vim.log.levels.ERROR)
      return
    end
    scratch(M.status_lines(result, bufnr), "markdown", "backend-lsp://status")
  end)
end

local function root_of(bufnr)
  local client = M.client(bufnr)
  if client ~= nil and client.root_dir ~= nil then
    return client.root_dir
  end
  return vim.fs.root(bufnr, M.options.root_markers) or vim.fn.getcwd()
end

local function cli_env()
  local env = M.options.lsp and M.options.lsp.cmd_env
  return env
end

--- :BackendContext: what an action at the cursor/lines would send, in a scratch buffer.
function M.context(cmd_opts, on_shown)
  local bufnr = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    notify("the buffer has no file name", vim.log.levels.WARN)
    return
  end
  local l1, l2
  if cmd_opts ~= nil and cmd_opts.range ~= nil and cmd_opts.range > 0 then
    l1, l2 = cmd_opts.line1, cmd_opts.line2
  else
    l1 = vim.api.nvim_win_get_cursor(0)[1]
    l2 = l1
  end
  local modified = vim.bo[bufnr].modified
  local started, why = cli.run(M.options.cmd, { "context", ("%s:%d-%d"):format(path, l1, l2) },
    { cwd = root_of(bufnr), env = cli_env() }, function(code, stdout, stderr)
      if code ~= 0 then
        notify("context failed: " .. vim.trim(stderr ~= "" and stderr or stdout), vim.log.levels.ERROR)
        return
      end
      local lines = vim.split(vim.trim(stdout), "\n", { plain = true })
      table.insert(lines, 1, ("<!-- backend-lsp context for %s:%d-%d%s -->"):format(
        vim.fn.fnamemodify(path, ":."), l1, l2, modified and " (the saved file: the buffer has unsaved changes)" or ""))
      local buf = scratch(lines, "markdown", "backend-lsp://context")
      if on_shown ~= nil then
        on_shown(buf)
      end
    end)
  if not started then
    notify("cannot run the backend-lsp CLI: " .. why, vim.log.levels.ERROR)
  end
end

local function create_commands()
  local command = vim.api.nvim_create_user_command
  command("BackendStatus", show_status,
    { desc = "backend-lsp: provider, model, tokens and cost, findings, index" })
  command("BackendAction", action_command, {
    nargs = "?",
    range = true,
    complete = complete_ids,
    desc = "backend-lsp: run an agent action (id) at the cursor or on the lines",
  })
  command("BackendExplain", function(o) M.run("explain", o) end,
    { range = true, desc = "backend-lsp: explain the code at the cursor in a float" })
  command("BackendReview", function(o) M.run("review-security", o, o.range == 0) end,
    { range = true, desc = "backend-lsp: security review of the buffer (or the lines)" })
  command("BackendContext", function(o) M.context(o) end,
    { range = true, desc = "backend-lsp: show what an action here would send" })
  command("BackendCancel", function()
    local count = 0
    for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
      count = count + agent.cancel(client)
    end
    notify(count == 0 and "nothing is running" or ("cancelling %d"):format(count))
  end, { desc = "backend-lsp: cancel the running agent action(s)" })
  command("BackendAnalyzeWorkspace", function()
    M.exec("backend-lsp.analyzeWorkspace", {}, function(result)
      if type(result) == "table" then
        notify(("workspace analysed: %d files, %d findings"):format(result.analysed or 0, result.findings or 0))
      end
    end)
  end, { desc = "backend-lsp: analyse every source file in the workspace" })
  command("BackendRestart", function()
    for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
      client:stop()
    end
    vim.defer_fn(function()
      vim.lsp.enable(M.name, false)
      vim.lsp.enable(M.name)
      vim.cmd("doautoall FileType")
    end, 500)
  end, { desc = "backend-lsp: restart the server" })
  -- The old names keep working.
  command("BackendLspStatus", show_status, { desc = "backend-lsp: alias of :BackendStatus" })
  command("BackendLspAnalyzeWorkspace", "BackendAnalyzeWorkspace", { desc = "alias" })
  command("BackendLspRestart", "BackendRestart", { desc = "alias" })
end

local function show_document(err, params, ctx)
  if agent.quiet_show > 0 and params and params.external ~= true then
    return { success = true } -- :BackendExplain shows it in a float instead
  end
  return vim.lsp.handlers["window/showDocument"](err, params, ctx)
end

-- Neovim 0.11 neither declares nor handles workspace/diagnostic/refresh, so pulled
-- diagnostics the server changes on its own (an agent review, a workspace analysis) would
-- wait for the next edit. The plugin declares it and pulls again for every attached buffer.
local function refresh_diagnostics(_, _, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client ~= nil then
    for bufnr in pairs(client.attached_buffers) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        client:request("textDocument/diagnostic", {
          textDocument = { uri = vim.uri_from_bufnr(bufnr) },
        }, vim.lsp.diagnostic.on_diagnostic, bufnr)
      end
    end
  end
  return vim.NIL
end

local group = vim.api.nvim_create_augroup("backend_lsp", { clear = true })
vim.api.nvim_create_autocmd("LspProgress", {
  group = group,
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if client ~= nil and client.name == M.name then
      agent.on_progress(client.id, ev.data.params)
    end
  end,
})

--- Register (and by default enable) the server. Call once from your config.
function M.setup(opts)
  if vim.lsp.config == nil or vim.lsp.enable == nil then
    notify("needs Neovim 0.11 or newer (vim.lsp.config)", vim.log.levels.ERROR)
    return
  end
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  local o = M.options
  if opts ~= nil and opts.cmd ~= nil then
    o.cmd = opts.cmd -- a list: replace, never merge element-wise
  end
  if opts ~= nil and opts.filetypes ~= nil then
    o.filetypes = opts.filetypes
  end
  if opts ~= nil and opts.root_markers ~= nil then
    o.root_markers = opts.root_markers
  end
  local config = vim.tbl_deep_extend("force", {
    cmd = o.cmd,
    filetypes = o.filetypes,
    root_markers = o.root_markers,
    settings = { backendLsp = o.settings },
    init_options = o.init_options,
    capabilities = { workspace = { diagnostics = { refreshSupport = true } } },
    handlers = {
      ["window/showDocument"] = show_document,
      ["workspace/diagnostic/refresh"] = refresh_diagnostics,
    },
  }, o.lsp)
  vim.lsp.config(M.name, config)
  if o.enable then
    vim.lsp.enable(M.name)
  end
  create_commands()
end

return M
