-- Drives the plugin's user commands in real Neovim against backend-lsp and the fake API.
-- Usage: nvim --headless --clean -l nvim_commands_driver.lua <plugin_dir> <file> <python>
--          <out.json> <sel_start> <sel_end> <explain_line>   (lines 1-based)
local plugin_dir, file, python, out_path = arg[1], arg[2], arg[3], arg[4]
local sel_start, sel_end, explain_line = tonumber(arg[5]), tonumber(arg[6]), tonumber(arg[7])
local h = dofile(vim.fs.joinpath(vim.fs.dirname(arg[0]), "nvim_helpers.lua"))
local result, finish, fail = h.report(out_path, { shown = {}, notes = {} })

-- Every notification the plugin gives, for the assertions.
vim.notify = function(msg, level)
  table.insert(result.notes, { msg = msg, level = level or vim.log.levels.INFO })
end

local function scratch_text(name)
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(buf) == name then
      return h.buffer_text(buf)
    end
  end
  return vim.NIL
end

h.main(result, finish, function()
  h.spy("window/showDocument", result.shown)
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd("filetype on")
  local plugin = require("backend_lsp")
  plugin.setup({
    cmd = { python, "-m", "backend_lsp.lsp" },
    init_options = {
      analysis = { debounceMs = 10 },
      agent = { maxRetries = 0, timeoutS = 5 },
    },
  })
  local finished = {}
  plugin.on_result = function(id, err, res)
    finished[id] = { err = err or vim.NIL, result = res or vim.NIL }
  end
  local function wait_for(id, ms)
    if not vim.wait(ms or 15000, function() return finished[id] ~= nil end, 20) then
      error(id .. " did not finish")
    end
    return finished[id]
  end
  vim.cmd.edit(file)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = h.attach("backend_lsp", bufnr)
  local names = { "BackendAction", "BackendExplain", "BackendReview", "BackendContext",
    "BackendCancel", "BackendStatus" }
  result.commands = {}
  for _, name in ipairs(names) do
    result.commands[name] = vim.fn.exists(":" .. name) == 2
  end

  -- :BackendAction <Tab> on the orders_by_status line: the ids that apply there.
  vim.api.nvim_win_set_cursor(0, { sel_start + 1, 4 })
  result.completion = vim.fn.getcompletion("BackendAction ", "cmdline")

  -- :BackendContext over the selection: what would be sent, in a scratch buffer.
  local context_buf
  plugin.context({ range = 2, line1 = sel_start, line2 = sel_end }, function(buf) context_buf = buf end)
  vim.wait(20000, function() return context_buf ~= nil end, 20)
  result.context_text = context_buf and h.buffer_text(context_buf) or vim.NIL
  result.context_filetype = context_buf and vim.bo[context_buf].filetype or vim.NIL
  vim.cmd("close")

  -- :'<,'>BackendAction optimize-query: the server applies the edit through applyEdit.
  local before = vim.lsp.util.buf_versions[bufnr]
  vim.cmd(("%d,%dBackendAction optimize-query"):format(sel_start, sel_end))
  result.optimize = wait_for("optimize-query")
  result.text_after_optimize = h.buffer_text(bufnr)
  result.version_changed = vim.lsp.util.buf_versions[bufnr] ~= before

  -- :BackendExplain: a float with the markdown; the explanation file is not opened.
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { explain_line, 8 })
  vim.cmd("BackendExplain")
  result.explain = wait_for("explain")
  local float = require("backend_lsp.agent").last_float
  result.float_text = float and h.buffer_text(float.buf) or vim.NIL
  result.float_is_floating = float ~= nil and vim.api.nvim_win_get_config(float.win).relative ~= ""
  result.current_is_source = vim.api.nvim_get_current_buf() == bufnr
  if float ~= nil then
    pcall(vim.api.nvim_win_close, float.win, true)
  end

  -- :BackendAction with no id: a picker (vim.ui.select) of the same ids; picking Explain
  -- again is answered from the response cache, so the fake API sees no new request.
  finished["explain"] = nil
  vim.api.nvim_win_set_cursor(0, { explain_line, 8 })
  vim.ui.select = function(items, opts, on_choice)
    result.picker_prompt = opts.prompt
    result.picker_items = vim.tbl_map(opts.format_item, items)
    for _, item in ipairs(items) do
      if item.data.action == "explain" then
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  vim.cmd("BackendAction")
  result.picked = wait_for("explain")
  if require("backend_lsp.agent").last_float ~= nil then
    pcall(vim.api.nvim_win_close, require("backend_lsp.agent").last_float.win, true)
  end

  -- :BackendReview: the whole buffer; findings arrive as backend-agent diagnostics.
  vim.cmd("BackendReview")
  result.review = wait_for("review-security")
  vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.source == "backend-agent" then
        return true
      end
    end
    return false
  end, 50)
  result.agent_diagnostics = {}
  result.all_sources = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.all_sources, tostring(d.source) .. ":" .. tostring(d.code))
    if d.source == "backend-agent" then
      table.insert(result.agent_diagnostics, { lnum = d.lnum, message = d.message })
    end
  end

  -- :BackendCancel while an action waits on the model (the fake never answers).
  finished["explain"] = nil
  vim.api.nvim_win_set_cursor(0, { sel_start + 1, 4 }) -- another place: no response-cache hit
  vim.cmd("BackendExplain")
  local agent = require("backend_lsp.agent")
  result.running_seen = vim.wait(10000, function() return #agent.running(client.id) > 0 end, 20)
  vim.cmd("BackendCancel")
  result.cancelled = wait_for("explain", 10000)

  -- :BackendStatus: a readable summary in a scratch buffer.
  vim.cmd("BackendStatus")
  vim.wait(10000, function() return scratch_text("backend-lsp://status") ~= vim.NIL end, 20)
  result.status_text = scratch_text("backend-lsp://status")

  -- :checkhealth backend_lsp
  vim.cmd("checkhealth backend_lsp")
  result.health_text = h.buffer_text(vim.api.nvim_get_current_buf())
end)
