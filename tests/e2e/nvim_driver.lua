-- Drives real Neovim against backend-lsp; writes what it saw as JSON.
-- Usage: nvim --headless --clean -l nvim_driver.lua <plugin_dir> <file> <python> <out.json>
local plugin_dir, file, python, out_path = arg[1], arg[2], arg[3], arg[4]
local result = { steps = {} }

local function finish()
  local fh = assert(io.open(out_path, "w"))
  fh:write(vim.json.encode(result))
  fh:close()
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  vim.cmd("qall!")
end

local function fail(msg)
  result.error = msg
  finish()
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd("filetype on")
  local plugin = require("backend_lsp")
  plugin.setup({
    cmd = { python, "-m", "backend_lsp.lsp" },
    root_markers = { "pyproject.toml", ".git" },
  })
  vim.cmd.edit(file)
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  result.commands = vim.fn.exists(":BackendLspStatus") == 2

  if not vim.wait(15000, function() return plugin.client(bufnr) ~= nil end, 20) then
    return fail("client did not attach")
  end
  local client = plugin.client(bufnr)
  if not vim.wait(15000, function() return client.initialized == true end, 20) then
    return fail("client did not initialize")
  end
  result.offset_encoding = client.offset_encoding
  result.pull = client.server_capabilities.diagnosticProvider ~= nil

  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    return fail("no diagnostics arrived")
  end
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diagnostics, { code = d.code, lnum = d.lnum, col = d.col, source = d.source })
  end
  result.diagnostics = diagnostics
  local target = vim.diagnostic.get(bufnr)[1]

  -- Hover on the finding.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col + 1 })
  local hover_params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local hover = client:request_sync("textDocument/hover", hover_params, 5000, bufnr)
  result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value
    or vim.NIL

  -- Code actions for the diagnostic's range, with the diagnostic in the context.
  local lsp_diag = target.user_data and target.user_data.lsp
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag and lsp_diag.range or {
      start = { line = target.lnum, character = target.col },
      ["end"] = { line = target.end_lnum, character = target.end_col },
    },
    context = { diagnostics = lsp_diag and { lsp_diag } or {}, only = { "quickfix" } },
  }
  local actions = client:request_sync("textDocument/codeAction", params, 5000, bufnr)
  if actions == nil or actions.err ~= nil then
    return fail("codeAction failed: " .. vim.inspect(actions))
  end
  result.actions = {}
  local chosen
  for _, action in ipairs(actions.result or {}) do
    table.insert(result.actions, { title = action.title, kind = action.kind })
    if chosen == nil and action.kind and vim.startswith(action.kind, "quickfix") then
      chosen = action
    end
  end
  if chosen == nil then
    return fail("no quick fix offered")
  end
  if chosen.edit == nil then
    local resolved = client:request_sync("codeAction/resolve", chosen, 5000, bufnr)
    if resolved == nil or resolved.err ~= nil then
      return fail("resolve failed: " .. vim.inspect(resolved))
    end
    chosen = resolved.result
    result.resolved = true
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")

  -- The server sees the change and the finding goes away.
  vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == target.code then
        return false
      end
    end
    return true
  end, 50)
  result.diagnostics_after = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics_after, d.code)
  end

  -- User command round trip through workspace/executeCommand.
  local status
  plugin.exec("backend-lsp.status", {}, function(res) status = res end)
  vim.wait(10000, function() return status ~= nil end, 20)
  result.status = status ~= nil
end)
if not ok then
  result.error = tostring(err)
end
finish()
