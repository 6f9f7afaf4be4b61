-- Shared by the specs of `lexis serve`: start a server on a free port,
-- speak HTTP to it with curl, stop it with a signal and read how it ended.

local h = require "helper"

local M = {}

local function sleep(s) os.execute("sleep " .. s) end
M.sleep = sleep

-- waiter(js) -> wait_for(code, what): waits until the JavaScript expression
-- code is true in the page that js(script) runs in (a browser driver's
-- "execute script"), at most 20 s, else fails naming what and the page's
-- status line.
function M.waiter(js)
  return function(code, what)
    for _ = 1, 200 do
      if js("return !!(" .. code .. ")") then return end
      sleep(0.1)
    end
    error("timed out waiting for " .. what .. "; status: " .. tostring(js("return document.getElementById('status').textContent")))
  end
end

-- start(args [, env [, cwd]]) -> server { url, port, pid, err (its stderr
-- so far) }. args: the words after `lexis` (serve ... --port 0); cwd: the
-- directory it runs in (this one by default). The process runs in the
-- background; its exit status goes to a file read by stop().
function M.start(args, env, cwd)
  local words = {}
  for i, a in ipairs(args) do words[i] = h.quote(a) end
  local s = { errfile = h.tmpname(), pidfile = h.tmpname(), rcfile = h.tmpname() }
  os.remove(s.rcfile)
  local prefix = ""
  for k, v in pairs(env or {}) do prefix = prefix .. k .. "=" .. h.quote(v) .. " " end
  if cwd then prefix = "cd " .. h.quote(cwd) .. " && " .. prefix end
  local inner = string.format("%s%s %s </dev/null >/dev/null 2>%s & echo $! >%s; wait $!; echo $? >%s",
    prefix, h.quote(h.bin), table.concat(words, " "), s.errfile, s.pidfile, s.rcfile)
  os.execute("sh -c " .. h.quote(inner) .. " >/dev/null 2>&1 &")
  for _ = 1, 300 do                      -- up to 30 s (a sanitizer build starts slowly)
    local err = h.read(s.errfile)
    local url = err:match("(http://%S+)")
    if url then
      s.url = url:gsub("%?token=.*", "")
      s.port = tonumber(url:match(":(%d+)/"))
      s.pid = tonumber(h.read(s.pidfile))
      s.err = err
      return s
    end
    local f = io.open(s.rcfile)
    if f then f:close(); s.err = err; s.failed = true; return s end
    sleep(0.1)
  end
  error("the server did not start: " .. h.read(s.errfile))
end

-- get(s, path [, opts]) -> status, body, headers. opts: header (a list),
-- method, raw (no path normalisation by curl).
function M.get(s, path, opts)
  opts = opts or {}
  local body, head = h.tmpname(), h.tmpname()
  local cmd = { "curl -s --max-time 60 --path-as-is -o", h.quote(body), "-D", h.quote(head), "-w '%{http_code}'" }
  for _, hd in ipairs(opts.header or {}) do cmd[#cmd + 1] = "-H " .. h.quote(hd) end
  if opts.method then cmd[#cmd + 1] = "-X " .. opts.method end
  if opts.data then cmd[#cmd + 1] = "--data-binary " .. h.quote(opts.data) end
  cmd[#cmd + 1] = h.quote("http://127.0.0.1:" .. s.port .. path)
  local p = io.popen(table.concat(cmd, " "))
  local code = tonumber(p:read("a"))
  p:close()
  local b, hs = h.read(body), h.read(head)
  os.remove(body); os.remove(head)
  return code, b, hs
end

-- stop(s [, signal]) -> exit status, stderr: sends the signal (TERM) and
-- waits for the process to end (at most 20 s).
function M.stop(s, sig)
  if s.pid then os.execute(string.format("kill -%s %d 2>/dev/null", sig or "TERM", s.pid)) end
  local rc
  for _ = 1, 200 do
    local f = io.open(s.rcfile)
    if f then rc = tonumber(f:read("a")); f:close(); break end
    sleep(0.1)
  end
  local err = h.read(s.errfile)
  os.remove(s.errfile); os.remove(s.pidfile); os.remove(s.rcfile)
  return rc, err
end

-- url-encodes s for a query string.
function M.enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- An index of the sample corpus in dir, and its path.
function M.index(dir, name, files)
  local path = dir .. "/" .. (name or "corpus") .. ".lexis"
  local _, err, code = h.run({ "index", "-q", files or "corpus/", "-o", path })
  assert(code == 0, err)
  return path
end

-- unbase64(s) -> the bytes of base64 text (a WebDriver screenshot).
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function M.unbase64(s)
  local value = {}
  for i = 1, 64 do value[B64:byte(i)] = i - 1 end
  local out, bits, n = {}, 0, 0
  for i = 1, #s do
    local v = value[s:byte(i)]
    if v then
      bits, n = (bits << 6) | v, n + 6
      if n >= 8 then
        n = n - 8
        out[#out + 1] = string.char((bits >> n) & 0xFF)
        bits = bits & ((1 << n) - 1)
      end
    end
  end
  return table.concat(out)
end

return M
