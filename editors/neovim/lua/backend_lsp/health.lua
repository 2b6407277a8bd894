-- :checkhealth backend_lsp: the server is found and runs, and `backend-lsp doctor` is happy
-- (version, Python, grammars, configuration, whether the API key is set).
local M = {}

local function root()
  local plugin = require("backend_lsp")
  local client = plugin.client(vim.api.nvim_get_current_buf())
  if client ~= nil and client.root_dir ~= nil then
    return client.root_dir
  end
  return vim.fs.root(0, plugin.options.root_markers) or vim.fn.getcwd()
end

--- One doctor line ("ok label  value" / "!! label  value") -> ok, label, value.
function M.parse(line)
  local mark, rest = line:sub(1, 3), line:sub(4)
  if mark ~= "ok " and mark ~= "!! " then
    return nil
  end
  local label, value = rest:match("^(.-)%s%s+(.*)$")
  if label == nil then
    label, value = rest, ""
  end
  return mark == "ok ", label, value
end

function M.check()
  local health = vim.health
  local plugin = require("backend_lsp")
  local o = plugin.options
  local cli = require("backend_lsp.cli")

  health.start("backend-lsp: Neovim")
  if vim.lsp.config == nil or vim.lsp.enable == nil then
    health.error("Neovim 0.11 or newer is needed (vim.lsp.config)")
    return
  end
  health.ok(("Neovim %s"):format(tostring(vim.version())))
  if vim.fn.exists(":BackendStatus") ~= 2 then
    health.warn('setup() has not run', { 'add require("backend_lsp").setup({}) to your config' })
  end

  health.start("backend-lsp: server")
  local exe = o.cmd[1]
  local path = vim.fn.exepath(exe)
  if path == "" then
    health.error(("server command not found: %s"):format(exe), {
      "install it: python3 -m pip install /path/to/backend-lsp (or pipx install ...)",
      'or point setup() at it: cmd = { "/path/.venv/bin/backend-lsp", "serve" }',
    })
    return
  end
  health.ok(("server command: %s (%s)"):format(table.concat(o.cmd, " "), path))
  local env = o.lsp and o.lsp.cmd_env
  local res, why = cli.run_sync(o.cmd, { "doctor" }, { cwd = root(), env = env }, 20000)
  if res == nil then
    health.error("could not run backend-lsp doctor: " .. tostring(why))
    return
  end
  if res.code ~= 0 and res.code ~= 1 then
    health.error(("backend-lsp doctor exited %d"):format(res.code), { vim.trim(res.stderr or "") })
    return
  end
  for _, line in ipairs(vim.split(res.stdout or "", "\n", { plain = true })) do
    local ok, label, value = M.parse(line)
    if ok ~= nil then
      local text = ("%s: %s"):format(label, value)
      if not ok then
        health.error(text)
      elseif label == "ANTHROPIC_API_KEY" and value:find("not set", 1, true) then
        health.warn(text, {
          "the offline analyzer, quick fixes, hover and offline actions work without it",
          "export ANTHROPIC_API_KEY before starting Neovim (the server inherits Neovim's environment)",
        })
      else
        health.ok(text)
      end
    end
  end

  health.start("backend-lsp: this buffer")
  local client = plugin.client(vim.api.nvim_get_current_buf())
  if client == nil then
    health.info("no backend-lsp client is running (open a " .. table.concat(o.filetypes, "/") .. " file)")
  else
    health.ok(("client %d attached, root %s, positions in %s"):format(
      client.id, tostring(client.root_dir), tostring(client.offset_encoding)))
  end
end

return M
