-- Shared by the Neovim e2e drivers: JSON report, attach/wait, handler spies, buffer text.
-- Load with: local h = dofile(vim.fs.joinpath(vim.fs.dirname(arg[0]), "nvim_helpers.lua"))
local H = {}

--- A report written as JSON by finish(); fail(msg) records an error and finishes.
function H.report(out_path, initial)
  local result = initial or {}
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
  return result, finish, fail
end

--- Run body() protected; any Lua error lands in result.error; always finishes.
function H.main(result, finish, body)
  local ok, err = pcall(body)
  if not ok then
    result.error = tostring(err)
  end
  finish()
end

--- Wait for the client named `name` on bufnr to attach, initialize and pull diagnostics.
function H.attach(name, bufnr)
  local client
  if not vim.wait(15000, function()
    client = vim.lsp.get_clients({ name = name, bufnr = bufnr })[1]
    return client ~= nil
  end, 20) then
    error("client did not attach")
  end
  if not vim.wait(15000, function() return client.initialized == true end, 20) then
    error("client did not initialize")
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    error("no diagnostics arrived")
  end
  return client
end

--- Record the server's requests but let Neovim's own handlers do the work.
function H.spy(method, sink, results)
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, params, ctx)
    table.insert(sink, params)
    local reply = original(err, params, ctx)
    if results ~= nil then
      table.insert(results, reply)
    end
    return reply
  end
end

function H.buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

function H.codes(bufnr)
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(codes, d.code)
  end
  return codes
end

--- Apply a quick fix the way a user does: cursor at the start of the diagnostic's line,
--- vim.lsp.buf.code_action (which sends the line's diagnostics), the fix picked by title.
--- Returns true when the buffer changed.
function H.quick_fix_at_line_start(bufnr, lnum, title)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, 0 })
  local before = vim.lsp.util.buf_versions[bufnr]
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind ~= nil and vim.startswith(action.kind, "quickfix")
        and (title == nil or action.title == title)
    end,
  })
  return vim.wait(10000, function() return vim.lsp.util.buf_versions[bufnr] ~= before end, 20)
end

return H
