-- backend-lsp for Neovim 0.11+: registers the server with vim.lsp.config and
-- enables it, plus a few user commands. Nothing starts until setup() is called.
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

local function show_status(result)
  local text = type(result) == "string" and result or vim.inspect(result)
  local lines = vim.split(text, "\n", { plain = true })
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].filetype = type(result) == "string" and "markdown" or "lua"
  vim.cmd("botright split")
  vim.api.nvim_win_set_buf(0, buf)
  vim.api.nvim_win_set_height(0, math.min(#lines + 1, 20))
end

local function create_commands()
  local command = vim.api.nvim_create_user_command
  command("BackendLspStatus", function()
    M.exec("backend-lsp.status", {}, show_status)
  end, { desc = "backend-lsp: server version, settings summary and rules" })
  command("BackendLspAnalyzeWorkspace", function()
    M.exec("backend-lsp.analyzeWorkspace", {}, function(result)
      notify("workspace analysed" .. (result ~= nil and (": " .. vim.inspect(result)) or ""))
    end)
  end, { desc = "backend-lsp: analyse every source file in the workspace" })
  command("BackendLspRestart", function()
    for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
      client:stop()
    end
    vim.defer_fn(function()
      vim.lsp.enable(M.name, false)
      vim.lsp.enable(M.name)
      vim.cmd("doautoall FileType")
    end, 500)
  end, { desc = "backend-lsp: restart the server" })
end

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
  }, o.lsp)
  vim.lsp.config(M.name, config)
  if o.enable then
    vim.lsp.enable(M.name)
  end
  create_commands()
end

return M
