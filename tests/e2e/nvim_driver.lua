-- Drives real Neovim against backend-lsp; writes what it saw as JSON.
-- Usage: nvim --headless --clean -l nvim_driver.lua <plugin_dir> <file> <python> <out.json> <mode>
-- mode "plugin": through require("backend_lsp").setup; "plain": vim.lsp.config only, no plugin.
local plugin_dir, file, python, out_path, mode = arg[1], arg[2], arg[3], arg[4], arg[5] or "plugin"
local h = dofile(vim.fs.joinpath(vim.fs.dirname(arg[0]), "nvim_helpers.lua"))
local result, finish, fail = h.report(out_path, { mode = mode })

h.main(result, finish, function()
  vim.cmd("filetype on")
  local name = "backend_lsp"
  if mode == "plugin" then
    vim.opt.runtimepath:prepend(plugin_dir)
    require("backend_lsp").setup({
      cmd = { python, "-m", "backend_lsp.lsp" },
      root_markers = { "pyproject.toml", ".git" },
    })
  else
    -- The README's plain set-up for Neovim 0.11 without the plugin.
    name = "backend-lsp"
    vim.lsp.config(name, {
      cmd = { python, "-m", "backend_lsp.lsp" },
      filetypes = { "python" },
      root_markers = { "pyproject.toml", ".git" },
    })
    vim.lsp.enable(name)
  end
  vim.cmd.edit(file)
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  result.commands = vim.fn.exists(":BackendStatus") == 2
  local client = h.attach(name, bufnr)
  result.offset_encoding = client.offset_encoding
  result.pull = client.server_capabilities.diagnosticProvider ~= nil

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
    result.resolved = resolved ~= nil and resolved.err == nil and resolved.result.edit ~= nil
  end

  -- Apply it the way a user does: vim.lsp.buf.code_action with the cursor at the line start.
  result.fix_title = chosen.title
  result.applied_at_line_start = h.quick_fix_at_line_start(bufnr, target.lnum, chosen.title)
  result.text = h.buffer_text(bufnr)

  -- The server sees the change and the finding goes away.
  vim.wait(20000, function() return not vim.tbl_contains(h.codes(bufnr), target.code) end, 50)
  result.diagnostics_after = h.codes(bufnr)

  if mode == "plugin" then
    -- User command round trip through workspace/executeCommand.
    local status
    require("backend_lsp").exec("backend-lsp.status", {}, function(res) status = res end)
    vim.wait(10000, function() return status ~= nil end, 20)
    result.status = status ~= nil
  end
end)
