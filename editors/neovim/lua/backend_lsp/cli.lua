-- The backend-lsp command line, run beside the server (context, doctor, --version).
-- It is derived from the server's cmd so both come from the same installation.
local M = {}

--- The CLI argv prefix for a server cmd: {X, "serve", ...} -> {X}; {py, "-m", "backend_lsp.lsp"}
--- -> {py, "-m", "backend_lsp"}; anything else -> {"backend-lsp"}.
function M.argv(cmd)
  if type(cmd) ~= "table" or #cmd == 0 then
    return { "backend-lsp" }
  end
  for i, part in ipairs(cmd) do
    if part == "serve" then
      return vim.list_slice(cmd, 1, i - 1)
    end
    if part == "-m" and cmd[i + 1] == "backend_lsp.lsp" then
      local argv = vim.list_slice(cmd, 1, i)
      table.insert(argv, "backend_lsp")
      return argv
    end
  end
  return { "backend-lsp" }
end

--- Run the CLI with extra arguments; on_done(code, stdout, stderr) on the main loop.
--- Returns false (and calls nothing) when the executable cannot be started.
function M.run(cmd, args, opts, on_done)
  local argv = vim.list_extend(M.argv(cmd), args)
  local ok, err = pcall(vim.system, argv, { cwd = opts.cwd, env = opts.env, text = true }, function(res)
    vim.schedule(function()
      on_done(res.code, res.stdout or "", res.stderr or "")
    end)
  end)
  if not ok then
    return false, tostring(err)
  end
  return true
end

--- Synchronous variant for :checkhealth (which must report in order); nil on spawn failure.
function M.run_sync(cmd, args, opts, timeout_ms)
  local argv = vim.list_extend(M.argv(cmd), args)
  local ok, job = pcall(vim.system, argv, { cwd = opts.cwd, env = opts.env, text = true })
  if not ok then
    return nil, tostring(job)
  end
  local res = job:wait(timeout_ms or 15000)
  return res
end

return M
