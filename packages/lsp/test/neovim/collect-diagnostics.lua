-- Runs inside `nvim --headless -u NONE` (Neovim 0.7+): starts `bglint lsp --stdio` with the 0.7-era
-- API, attaches it to each file, waits until every buffer has its expected number of diagnostics,
-- writes what vim.diagnostic holds as JSON, shuts the server down and quits.
local env = vim.fn.json_decode(os.getenv('BGLINT_NVIM_TEST'))

local client_id = vim.lsp.start_client({
  name = 'bglint',
  cmd = { env.node, env.bin, 'lsp', '--stdio' },
  root_dir = env.root,
})

local buffers = {}
for file, _ in pairs(env.expected) do
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  buffers[file] = buf
end

local complete = vim.wait(30000, function()
  for file, buf in pairs(buffers) do
    if #vim.diagnostic.get(buf) < env.expected[file] then return false end
  end
  return true
end, 20)

local out = { complete = complete, files = {} }
for file, buf in pairs(buffers) do
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { lnum = d.lnum, col = d.col, code = d.code, severity = d.severity, source = d.source, message = d.message })
  end
  out.files[file] = list
end
vim.fn.writefile({ vim.fn.json_encode(out) }, env.out)

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd('qa!')
