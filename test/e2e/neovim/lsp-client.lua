-- Drives Neovim's built-in LSP client against our language server and writes
-- what the client received to a JSON file. Neovim 0.7 (Debian 12) has no
-- vim.lsp.start, so the client is started and attached by hand.
-- Input (environment): LF_NODE, LF_SERVER, LF_FILE, LF_GPU, LF_HOVER_LINE and
-- LF_HOVER_CHAR (0-based), LF_OUT (the JSON file to write).
local env = function(name) return os.getenv(name) or error('missing ' .. name) end
local out = { errors = {} }

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(env('LF_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'
  -- 0.7 answers workspace/configuration from `settings` but does not announce it; 0.8+ does.
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.workspace.configuration = true
  local client_id = vim.lsp.start_client({
    name = 'llamafactory',
    capabilities = capabilities,
    cmd = { env('LF_NODE'), env('LF_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(env('LF_FILE'), ':h'),
    settings = { llamafactory = { gpu = env('LF_GPU') } },
  })
  out.attached = vim.lsp.buf_attach_client(bufnr, client_id)
  local started = vim.loop.hrtime()
  out.got_diagnostics = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  out.diagnostics_ms = (vim.loop.hrtime() - started) / 1e6
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, code = d.code, message = d.message,
    })
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local position = { line = tonumber(env('LF_HOVER_LINE')), character = tonumber(env('LF_HOVER_CHAR')) }
  local response = client.request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position,
  }, 10000, bufnr)
  out.hover = response and response.result or vim.NIL
  if response and response.err then table.insert(out.errors, vim.inspect(response.err)) end
  client.stop()
  out.stopped = vim.wait(5000, function() return client.is_stopped() end, 20)
end

local ok, err = pcall(run)
if not ok then table.insert(out.errors, tostring(err)) end
local f = assert(io.open(env('LF_OUT'), 'w'))
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qall!')
