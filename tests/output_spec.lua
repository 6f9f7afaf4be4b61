-- Output files appear whole or not at all: lexis.atomic_open.

local h = require "helper"

local tmpdir = h.tmpdir

local function listing(dir)
  local p = io.popen("ls -A " .. h.quote(dir))
  local names = p:read("a")
  p:close()
  return names
end

describe("lexis.atomic_open", function()
  local dir
  before_each(function() dir = tmpdir() end)
  after_each(function() os.execute("rm -rf " .. h.quote(dir)) end)

  it("replaces the target only on commit", function()
    local path = h.write(dir .. "/out.txt", "old contents")
    local f = assert(lexis.atomic_open(path))
    f:write("new ", "contents")
    assert.equal("old contents", h.read(path))
    assert.is_true(f:commit())
    assert.equal("new contents", h.read(path))
    assert.equal("out.txt\n", listing(dir))
  end)

  it("leaves the target untouched and no temporary file when aborted", function()
    local path = h.write(dir .. "/out.txt", "old contents")
    local f = assert(lexis.atomic_open(path))
    f:write("half")
    f:abort()
    f:abort()                                 -- idempotent
    assert.equal("old contents", h.read(path))
    assert.equal("out.txt\n", listing(dir))
  end)

  it("aborts when an error leaves a to-be-closed block", function()
    local path = h.write(dir .. "/out.txt", "old contents")
    local ok = pcall(function()
      local f <close> = assert(lexis.atomic_open(path))
      f:write("half")
      error("failed half way")
    end)
    assert.is_false(ok)
    assert.equal("old contents", h.read(path))
    assert.equal("out.txt\n", listing(dir))
  end)

  it("says why it cannot write into a missing directory", function()
    local f, msg, code = lexis.atomic_open(dir .. "/missing/out.txt")
    assert.is_nil(f)
    assert.equal(dir .. "/missing/out.txt: No such file or directory", msg)
    assert.equal(2, code)
  end)

  it("refuses to write after commit", function()
    local f = assert(lexis.atomic_open(dir .. "/x"))
    f:commit()
    assert.error_matches(function() f:write("more") end, "committed or aborted")
  end)

  for _, signal in ipairs({ "INT", "TERM" }) do
    it("leaves no partial file when SIG" .. signal .. " arrives during a write", function()
      local path = h.write(dir .. "/out.txt", "old contents")
      local script = h.write(dir .. "/slow.lua", string.format([[
        local f = assert(lexis.atomic_open(%q))
        f:write(string.rep("x", 100000))
        io.stdout:write("writing\n") io.stdout:flush()
        while true do f:write("y") end
      ]], path))
      local cmd = string.format("%s %s > %s 2>&1 & pid=$!; " ..
        "for i in $(seq 50); do grep -q writing %s && break; sleep 0.1; done; kill -%s $pid; wait $pid 2>/dev/null",
        h.quote(h.bin), h.quote(script), h.quote(dir .. "/log"), h.quote(dir .. "/log"), signal)
      os.execute("(" .. cmd .. ") 2>/dev/null")
      assert.equal("old contents", h.read(path))
      assert.equal("log\nout.txt\nslow.lua\n", listing(dir))
    end)
  end
end)
