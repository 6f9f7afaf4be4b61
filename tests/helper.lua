-- Shared by the specs: run the lexis binary under test and capture what it
-- printed and how it exited; temporary files and directories.

local M = {}

-- The binary `make test` (or `make asan`) built.
M.bin = os.getenv("LEXIS_BIN") or "./lexis"

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.quote = shell_quote

function M.tmpname()
  local path = os.tmpname()
  return path
end

-- A new empty directory, and its removal with everything in it.
function M.tmpdir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. shell_quote(dir)))
  return dir
end

function M.rmdir(dir)
  os.execute("rm -rf " .. shell_quote(dir))
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
  return path
end

-- run(args [, stdin [, env]]) -> stdout, stderr, exit code. args is an array
-- of arguments after the binary, or a string of shell words.
function M.run(args, stdin, env)
  local words = type(args) == "table" and {} or { args }
  if type(args) == "table" then
    for i, a in ipairs(args) do words[i] = shell_quote(a) end
  end
  local out, err = M.tmpname(), M.tmpname()
  local input = "/dev/null"
  if stdin then input = M.write(M.tmpname(), stdin) end
  local prefix = ""
  for k, v in pairs(env or {}) do prefix = prefix .. k .. "=" .. shell_quote(v) .. " " end
  local cmd = string.format("%s%s %s <%s >%s 2>%s", prefix, shell_quote(M.bin),
                            table.concat(words, " "), input, out, err)
  local _, _, code = os.execute(cmd)
  local o, e = M.read(out), M.read(err)
  os.remove(out); os.remove(err)
  if stdin then os.remove(input) end
  return o, e, code
end

-- lexis(code) -> stdout of `lexis -e code`, asserting it succeeded.
-- kjv(dir) -> the path of the King James Bible, one verse a line, as
-- bench/corpus.sh makes it (Debian's bible-kjv: make test-deps), written
-- into dir; the specs that cut or index a real book take it from here.
function M.kjv(dir)
  if not os.execute("command -v bible >/dev/null 2>&1") then
    error("the bible command (Debian package bible-kjv) is not installed: run make test-deps")
  end
  local path = dir .. "/kjv.txt"
  assert(os.execute(string.format("bible -f 'Gen1:1-Rev22:21' > %s", M.quote(path))))
  return path
end

function M.eval(code)
  local out, err, status = M.run({ "-e", code })
  assert(status == 0, "lexis -e failed: " .. err)
  return out
end

return M
