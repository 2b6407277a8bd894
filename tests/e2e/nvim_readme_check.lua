-- After the README's init.lua ran: open the file, wait for the diagnostics, report.
-- Usage: nvim --headless -u <readme init.lua> -c "luafile nvim_readme_check.lua" <file> (BLSP_OUT)
local h = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, "S").source:sub(2)), "nvim_helpers.lua"))
local result, finish = h.report(os.getenv("BLSP_OUT"))
h.main(result, finish, function()
  local bufnr = vim.api.nvim_get_current_buf()
  result.commands = vim.fn.exists(":BackendStatus") == 2
  local client = h.attach("backend_lsp", bufnr)
  result.cmd = client.config.cmd
  result.codes = h.codes(bufnr)
end)
