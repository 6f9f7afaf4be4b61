-- lexis.serve: a local web concordancer and JSON API over indexes, until
-- Ctrl-C or SIGTERM (docs/serve.md).
--
--   lexis.serve { indexes = { "corpus.lexis", "ref.lexis" }, port = 8080,
--     routes = { ["/api/longest"] = function(args, lexis) ... return rows end } }
--
-- Options: indexes (paths, or { name = path }), port (8080; 0 any free
-- one), bind ("127.0.0.1"; another address needs token, or one is made and
-- printed), token, threads (2), time_limit (ms a request may run, 10000),
-- limits = { rows (per page or table, 1000), hits (the most a request
-- reads, 1000000), query (bytes of a query, 1000), cache (bytes of answers
-- kept per thread, 16 MB) }, routes (paths under /api/ to functions of
-- (args, lexis) returning a table for lexis.report, or an HTML string),
-- ready = function(url, token) (called once it listens; by default it
-- prints the address on standard error).
-- Returns the signal that stopped it ("SIGINT", "SIGTERM"), or nil,
-- message, errno when it cannot start.

local core = require "lexis.core"
local contract = require "lexis.contract"

local M = {}

local OPTIONS = { indexes = true, port = true, bind = true, token = true, threads = true,
                  time_limit = true, limits = true, routes = true, ready = true }
local LIMITS = { rows = 1000, hits = 1000000, query = 1000, cache = 16 << 20 }

-- The names the page shows: the file's name without .lexis, made unique.
local function names_of(indexes)
  local list, seen = {}, {}
  local function add(name, path)
    if type(path) ~= "string" then contract.misuse("serve: indexes: a path expected, got " .. type(path)) end
    local base, k = name, 2
    while seen[name] do name, k = base .. "-" .. k, k + 1 end
    seen[name] = true
    list[#list + 1] = { name = name, path = path }
  end
  for _, path in ipairs(indexes) do add((path:match("[^/]*$"):gsub("%.lexis$", "")), path) end
  local named = {}
  for k in pairs(indexes) do if type(k) == "string" then named[#named + 1] = k end end
  table.sort(named)
  for _, k in ipairs(named) do add(k, indexes[k]) end
  return list
end

-- A route crosses to the workers' states as bytecode: it may use its
-- arguments and globals, nothing captured from the script around it.
local function dump_route(path, fn)
  if type(path) ~= "string" or not path:match("^/api/[%w_%-/]+$") then
    contract.misuse("serve: routes: a path under /api/ expected, got " .. tostring(path))
  end
  if type(fn) ~= "function" or debug.getinfo(fn, "S").what ~= "Lua" then
    contract.misuse("serve: routes: " .. path .. ": a Lua function expected")
  end
  for i = 1, math.huge do
    local name = debug.getupvalue(fn, i)
    if not name then break end
    if name ~= "_ENV" then
      contract.misuse(string.format("serve: routes: %s uses '%s' from around it; a route runs on the "
        .. "server's own Lua states, so it may use only its arguments (args, lexis) and globals", path, name))
    end
  end
  return { path = path, code = string.dump(fn) }
end

local function random_token()
  local f = io.open("/dev/urandom", "rb")
  local bytes = f and f:read(16)
  if f then f:close() end
  if not bytes or #bytes < 16 then contract.fail("/dev/urandom: cannot read a token from it") end
  return (bytes:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function M.serve(opts)
  if type(opts) ~= "table" then contract.misuse("bad argument #1 to 'serve' (table expected)") end
  for k in pairs(opts) do
    if not OPTIONS[k] then contract.misuse("serve: unknown option '" .. tostring(k) .. "'") end
  end
  local indexes = opts.indexes
  if type(indexes) == "string" then indexes = { indexes } end
  if type(indexes) ~= "table" or next(indexes) == nil then
    contract.misuse("serve: indexes: at least one index expected")
  end
  local list = names_of(indexes)
  for _, ix in ipairs(list) do          -- open each once here: a bad one fails before the port opens
    local c, err, code = require("lexis.corpus").open(ix.path)
    if not c then contract.fail(err, code) end
    c:close()
  end
  local limits = {}
  for k, v in pairs(LIMITS) do limits[k] = v end
  for k, v in pairs(opts.limits or {}) do
    if not LIMITS[k] then contract.misuse("serve: limits: unknown limit '" .. tostring(k) .. "'") end
    if math.type(v) ~= "integer" or v < 1 then contract.misuse("serve: limits: " .. k .. " must be a positive integer") end
    limits[k] = v
  end
  local routes = {}
  local paths = {}
  for path in pairs(opts.routes or {}) do paths[#paths + 1] = path end
  table.sort(paths, function(a, b) return tostring(a) < tostring(b) end)
  for _, path in ipairs(paths) do routes[#routes + 1] = dump_route(path, opts.routes[path]) end

  local bind = opts.bind or "127.0.0.1"
  local token = opts.token
  local made_token = false
  if token == nil and not core.serve_is_loopback(bind) then
    token, made_token = random_token(), true
  end
  local setup = string.format("return { indexes = {%s}, routes = {%s}, limits = { rows = %d, hits = %d, query = %d, cache = %d } }",
    table.concat((function()
      local t = {}
      for i, ix in ipairs(list) do t[i] = string.format("{ name = %q, path = %q }", ix.name, ix.path) end
      return t
    end)(), ", "),
    table.concat((function()
      local t = {}
      for i, r in ipairs(routes) do t[i] = string.format("{ path = %q, code = %q }", r.path, r.code) end
      return t
    end)(), ", "),
    limits.rows, limits.hits, limits.query, limits.cache)

  local ready = opts.ready or function(url, tok)
    io.stderr:write(string.format("lexis serve: %s (%d %s; Ctrl-C stops)\n", url, #list,
                                  #list == 1 and "corpus" or "corpora"))
    if made_token then
      io.stderr:write("lexis serve: token ", tok, " (every request: Authorization: Bearer TOKEN, or ?token=TOKEN)\n")
    end
    io.stderr:flush()
  end
  local host = bind:find(":", 1, true) and "[" .. bind .. "]" or bind
  local sig, err, code = core.serve {
    worker = "lexis.serve_api", setup = setup, bind = bind, port = opts.port or 8080, token = token,
    threads = opts.threads or 2, time_limit = opts.time_limit or 10000, max_arg = limits.query + 64,
    ready = function(port)
      local url = string.format("http://%s:%d/", host, port)
      if token then url = url .. "?token=" .. token end
      ready(url, token)
    end,
  }
  if not sig then contract.fail(err, code) end
  return sig
end

M.serve = contract.public(M.serve)

return M
