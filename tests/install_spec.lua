-- Installing: make install/uninstall into a prefix, and luarocks make.

local h = require "helper"

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok and 0 or code
end

local tmpdir = h.tmpdir

-- The sanitizer run builds only the binary; these build and load the module.
local normal_build = not os.getenv("LEXIS_SANITIZED")

describe("installation", function()
  it("make install puts the binary, module and man page under PREFIX; uninstall removes them", function()
    if not normal_build then return pending("normal build only") end
    local prefix = tmpdir()
    local out, code = sh("make --no-print-directory install PREFIX=" .. h.quote(prefix))
    assert.equal(0, code, out)
    for _, f in ipairs({ "/bin/lexis", "/lib/lua/5.4/lexis.so", "/share/man/man1/lexis.1" }) do
      assert.truthy(io.open(prefix .. f), "missing " .. f)
    end
    -- The installed binary needs nothing beside it: run it from elsewhere.
    out, code = sh("cd / && " .. h.quote(prefix .. "/bin/lexis") .. " -e 'print(require(\"lexis.pretty\").pretty({1}))'")
    assert.equal(0, code, out)
    assert.equal("{ 1 }\n", out)
    out, code = sh("make --no-print-directory uninstall PREFIX=" .. h.quote(prefix))
    assert.equal(0, code, out)
    assert.is_nil(io.open(prefix .. "/bin/lexis"))
    assert.is_nil(io.open(prefix .. "/lib/lua/5.4/lexis.so"))
    os.execute("rm -rf " .. h.quote(prefix))
  end)

  it("luarocks make builds the module from a fresh copy into a tree", function()
    if not normal_build then return pending("normal build only") end
    if not sh("command -v luarocks"):find("luarocks") then return pending("luarocks not installed") end
    local copy, tree = tmpdir(), tmpdir()
    assert(os.execute("cp -r src lua Makefile lexis-scm-1.rockspec " .. h.quote(copy)))
    local out, code = sh(string.format("cd %s && luarocks --lua-version 5.4 --tree %s make --deps-mode=none lexis-scm-1.rockspec",
                                       h.quote(copy), h.quote(tree)))
    assert.equal(0, code, out)
    out, code = sh(string.format("LUA_CPATH=%s lua5.4 -e %s", h.quote(tree .. "/lib/lua/5.4/?.so"),
                                 h.quote("print(require('lexis').version)")))
    assert.equal(0, code, out)
    assert.matches("^%d+%.%d+%.%d+\n$", out)
    os.execute("rm -rf " .. h.quote(copy) .. " " .. h.quote(tree))
  end)
end)
