-- Drives dist/server.js from headless Neovim 0.7 (Debian 12) over stdio, as an nvim user's LSP config
-- would: waits for the catalog, the diagnostics, hovers a field and applies an exclusion code action.
-- Everything it saw goes to DL_OUT as JSON; the node test (neovim.test.ts) asserts on it.
local server, rule, root, out = os.getenv('DL_SERVER'), os.getenv('DL_RULE'), os.getenv('DL_ROOT'), os.getenv('DL_OUT')
local result = {}

local function position_of(buf, text)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then return { line = i - 1, character = col - 1 } end
  end
  error('not in the buffer: ' .. text)
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(rule))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'yaml'
  local status = {}
  local client_id = vim.lsp.start_client({
    name = 'detection-lens',
    cmd = { 'node', '--max-semi-space-size=8', server, '--stdio' }, -- as the README's setup
    cmd_env = { MALLOC_ARENA_MAX = '2' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
    settings = { detectionLens = { catalog = { paths = {} } } },
    handlers = { ['detectionLens/catalogStatus'] = function(_, s) status = s or {} end },
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(buf, client_id)
  assert(vim.wait(120000, function() return status.state == 'ready' and (status.rules or 0) > 0 end, 50), 'the catalog was not indexed')
  result.rules = status.rules

  local noisy = function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == 'noisy-selection' then return d end
    end
  end
  assert(vim.wait(30000, function() return noisy() ~= nil end, 50), 'no noisy-selection diagnostic')
  local d = noisy()
  result.diagnostic = { message = d.message, severity = d.severity, line = d.lnum }

  local uri = vim.uri_from_bufnr(buf)
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = position_of(buf, 'Image|endswith') }, 10000)
  result.hover = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value

  local at = position_of(buf, 'selection:')
  local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = { start = at, ['end'] = at }, context = { diagnostics = {} },
  }, 10000)
  for _, action in ipairs((actions and actions[client_id] and actions[client_id].result) or {}) do
    if action.title:find('^Exclude ') then
      -- Neovim declares codeAction resolveSupport for 'edit': as its code_action() does, an action
      -- listed without its edit is resolved when picked
      if not action.edit then
        local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', action, 10000)
        action = (resolved and resolved[client_id] and resolved[client_id].result) or action
      end
      if action.edit then
        result.action = action.title
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        break
      end
    end
  end
  result.text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
  vim.lsp.stop_client(client_id)
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd(ok and 'qall!' or 'cquit 1')
