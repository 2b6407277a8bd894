-- Drives the agent's code actions in real Neovim against backend-lsp; writes what it saw as JSON.
-- Usage: nvim --headless --clean -l nvim_agent_driver.lua <plugin_dir> <file> <python> <out.json>
--          <mode: agent|offline|offline-disabled> <sel_start> <sel_end> <explain_line>
-- Lines are 0-based; the selection runs from the start of sel_start to the start of sel_end.
local plugin_dir, file, python, out_path, mode = arg[1], arg[2], arg[3], arg[4], arg[5]
local sel_start, sel_end, explain_line = tonumber(arg[6]), tonumber(arg[7]), tonumber(arg[8])
local h = dofile(vim.fs.joinpath(vim.fs.dirname(arg[0]), "nvim_helpers.lua"))
local result, finish, fail =
  h.report(out_path, { mode = mode, applied_edits = {}, apply_results = {}, shown = {} })
local spy, buffer_text = h.spy, h.buffer_text

local function list_actions(client, bufnr, range)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = {} },
  }
  local reply = client:request_sync("textDocument/codeAction", params, 5000, bufnr)
  if reply == nil or reply.err ~= nil then
    error("codeAction failed: " .. vim.inspect(reply))
  end
  return reply.result or {}
end

local function summary(actions)
  local listed = {}
  for _, a in ipairs(actions) do
    table.insert(listed, {
      title = a.title,
      kind = a.kind or vim.NIL,
      disabled = a.disabled and a.disabled.reason or vim.NIL,
      has_command = a.command ~= nil,
    })
  end
  return listed
end

local function by_kind(actions, kind)
  for _, a in ipairs(actions) do
    if a.kind == kind then
      return a
    end
  end
  return nil
end

-- Resolve (Neovim declares resolveSupport for edit and command) and run it the way
-- vim.lsp.buf.code_action's apply path does: the edit first, then client:exec_cmd.
local function run_action(client, bufnr, action)
  if action.command == nil and action.edit == nil then
    local resolved = client:request_sync("codeAction/resolve", action, 5000, bufnr)
    if resolved == nil or resolved.err ~= nil then
      error("resolve failed: " .. vim.inspect(resolved))
    end
    action = resolved.result
  end
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  local done
  if action.command then
    local command = type(action.command) == "table" and action.command or action
    client:exec_cmd(command, { bufnr = bufnr }, function(err, res)
      done = { err = err or vim.NIL, result = res or vim.NIL }
    end)
    if not vim.wait(15000, function() return done ~= nil end, 20) then
      error("the command did not finish")
    end
  end
  return action, done
end

h.main(result, finish, function()
  vim.lsp.set_log_level("debug")
  spy("workspace/applyEdit", result.applied_edits, result.apply_results)
  spy("window/showDocument", result.shown)
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd("filetype on")
  local plugin = require("backend_lsp")
  local extra = {}
  if mode == "offline-disabled" then
    -- A user whose picker greys out disabled actions can declare it; stock 0.11 does not.
    extra.capabilities = { textDocument = { codeAction = { disabledSupport = true } } }
  end
  plugin.setup({
    cmd = { python, "-m", "backend_lsp.lsp" },
    root_markers = { "pyproject.toml", ".git" },
    init_options = {
      analysis = { debounceMs = 10 },
      agent = { maxRetries = 0, timeoutS = 5 },
    },
    lsp = extra,
  })
  vim.cmd.edit(file)
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(15000, function() return plugin.client(bufnr) ~= nil end, 20) then
    return fail("client did not attach")
  end
  local client = plugin.client(bufnr)
  if not vim.wait(15000, function() return client.initialized == true end, 20) then
    return fail("client did not initialize")
  end
  -- Diagnostics mean the document (and the workspace schema) has been analysed.
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    return fail("no diagnostics arrived")
  end
  local selection = {
    start = { line = sel_start, character = 0 },
    ["end"] = { line = sel_end, character = 0 },
  }
  local actions = list_actions(client, bufnr, selection)
  result.actions = summary(actions)

  if mode ~= "agent" then
    local explain = by_kind(actions, "refactor.backend.explain")
    if explain ~= nil then
      local _, done = run_action(client, bufnr, explain)
      result.explain_result = done and done.result or vim.NIL
      result.explain_error = done and done.err or vim.NIL
    end
    return
  end

  local before = vim.lsp.util.buf_versions[bufnr]
  local optimize = by_kind(actions, "refactor.rewrite.backend.optimize-query")
  if optimize == nil then
    return fail("no Optimize query action")
  end
  local resolved, done = run_action(client, bufnr, optimize)
  result.optimize_resolved_command = resolved.command or vim.NIL
  result.optimize_result = done.result
  result.optimize_error = done.err
  result.version_before = before
  result.version_after = vim.lsp.util.buf_versions[bufnr]
  result.text = buffer_text(bufnr)

  -- Explain the other function: the server shows a markdown document and remembers it for hover.
  local line_range = {
    start = { line = explain_line, character = 0 },
    ["end"] = { line = explain_line + 1, character = 0 },
  }
  local explain = by_kind(list_actions(client, bufnr, line_range), "refactor.backend.explain")
  if explain == nil then
    return fail("no Explain action")
  end
  local _, explained = run_action(client, bufnr, explain)
  result.explain_result = explained.result
  result.explain_error = explained.err
  local shown_uri = result.shown[1] and result.shown[1].uri
  if shown_uri ~= nil then
    local shown_buf = vim.uri_to_bufnr(shown_uri)
    result.shown_loaded = vim.api.nvim_buf_is_loaded(shown_buf)
    result.shown_text = buffer_text(shown_buf)
    result.shown_is_current = vim.api.nvim_get_current_buf() == shown_buf
  end
  local hover = client:request_sync("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = explain_line, character = 8 },
  }, 5000, bufnr)
  result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value
    or vim.NIL
  result.lsp_log = vim.lsp.get_log_path()
end)
