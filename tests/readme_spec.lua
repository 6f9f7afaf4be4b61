-- The documentation against the code: every public function is listed in
-- README.md (and nothing listed there is missing), and the
-- Lua examples marked runnable in README.md run, their
-- output the block that follows them.
--
-- In the Markdown, a runnable example is a ```lua block right after a line
-- <!-- run -->; a block right after <!-- output --> that follows it is what
-- the example must print. A block after <!-- repl --> is a REPL session
-- ("$ lexis", then "> " lines typed and the lines they print), replayed
-- through lexis -i. Examples run in a scratch directory where
-- corpus/ and scripts/ are the repository's, so files they write go there.

local h = require "helper"
local lexis = require "lexis"

local DOCS = { "README.md" }

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- The runnable examples of a Markdown text: { code, output, line }.
local function examples(text)
  local list, lineno, pending = {}, 0, nil
  local lines = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  local i = 1
  while i <= #lines do
    local mark = lines[i]:match("^<!%-%- (%a+) %-%->%s*$")
    if mark then
      local j = i + 1
      while lines[j] == "" do j = j + 1 end
      local fence = lines[j] and lines[j]:match("^```(%w*)")
      assert(fence, "no code block after <!-- " .. mark .. " --> at line " .. i)
      local body, k = {}, j + 1
      while lines[k] and not lines[k]:match("^```%s*$") do body[#body + 1] = lines[k]; k = k + 1 end
      local block = table.concat(body, "\n") .. "\n"
      if mark == "repl" then
        -- a session: "> " lines are typed, the others are what prints
        local input, output = {}, {}
        for n = j + 2, k - 1 do
          local typed = lines[n]:match("^> (.*)$")
          if typed then input[#input + 1] = typed .. "\n" else output[#output + 1] = lines[n] .. "\n" end
        end
        assert(lines[j + 1] == "$ lexis", "a <!-- repl --> block starts with $ lexis (line " .. j .. ")")
        list[#list + 1] = { repl = table.concat(input), output = table.concat(output), line = j }
        pending = nil
      elseif mark == "run" then
        assert(fence == "lua", "<!-- run --> must precede a ```lua block (line " .. i .. ")")
        pending = { code = block, line = j }
        list[#list + 1] = pending
      elseif mark == "output" then
        assert(pending and not pending.output, "<!-- output --> without an example before it (line " .. i .. ")")
        pending.output = block
      end
      i = k + 1
    else
      i = i + 1
    end
  end
  return list
end

-- "lexis.foo(x [, y])" and "lexis.report.write(...)" names listed in a text.
local function listed(text)
  local names = {}
  for name in text:gmatch("`(lexis%.[%w_%.]+)") do names[name] = true end
  return names
end

describe("the documentation", function()
  local docs = {}
  docs["README.md"] = h.read("README.md")
  -- the reference is the README's "The Lua API" section, up to the next "## "
  local api_section = docs["README.md"]:match("\n## The Lua API\n(.-)\n## ")
  assert(api_section, "README.md has no '## The Lua API' section")
  local reference = listed(api_section)

  it("lists every function of the registry", function()
    local missing = {}
    for name in pairs(lexis._api) do
      if not reference["lexis." .. name] then missing[#missing + 1] = "lexis." .. name end
    end
    table.sort(missing)
    assert.same({}, missing)
  end)

  it("lists every public function of lexis.report, lexis.plot and lexis.progress", function()
    local missing = {}
    for _, mod in ipairs({ "report", "plot", "progress" }) do
      for name, v in pairs(require("lexis." .. mod)) do
        local full = "lexis." .. mod .. "." .. name
        if type(v) == "function" and not name:find("^_") and not reference[full] then
          missing[#missing + 1] = full
        end
      end
    end
    table.sort(missing)
    assert.same({}, missing)
  end)

  it("lists no function that does not exist", function()
    local stale = {}
    for name in pairs(listed(api_section)) do
      if name:find("%.%u") then goto continue end      -- a type: lexis.Counts
      local value = { lexis = lexis }
      for part in name:gmatch("[^.]+") do
        if value == nil then break end
        value = value[part]
        if part == "progress" and value == nil then value = require "lexis.progress" end
      end
      if value == nil then stale[#stale + 1] = name end
      ::continue::
    end
    table.sort(stale)
    assert.same({}, stale)
  end)

  -- A scratch directory per document, with the repository's corpus and scripts.
  for _, path in ipairs(DOCS) do
    local list = exists(path) and examples(h.read(path)) or {}
    describe(path, function()
      local dir
      setup(function()
        dir = os.tmpname()
        os.remove(dir)
        local cwd = os.getenv("PWD") or "."
        assert(os.execute(string.format("mkdir %s && ln -s %s %s && ln -s %s %s", h.quote(dir),
          h.quote(cwd .. "/corpus"), h.quote(dir .. "/corpus"), h.quote(cwd .. "/scripts"), h.quote(dir .. "/scripts"))))
      end)
      teardown(function() os.execute("rm -rf " .. h.quote(dir)) end)

      for _, ex in ipairs(list) do
        it("runs the example at line " .. ex.line, function()
          local script = h.write(dir .. "/example.lua", ex.code or ex.repl)
          local bin = h.bin:sub(1, 1) == "/" and h.bin or (os.getenv("PWD") or ".") .. "/" .. h.bin
          local out, err = os.tmpname(), os.tmpname()
          -- a REPL session is the same text typed into lexis -i
          local run = ex.repl and "-i <example.lua" or "example.lua </dev/null"
          local ok, _, code = os.execute(string.format("cd %s && %s %s >%s 2>%s",
            h.quote(dir), h.quote(bin), run, h.quote(out), h.quote(err)))
          local o, e = h.read(out), h.read(err)
          os.remove(out); os.remove(err); os.remove(script)
          assert(ok and code == 0, "example at " .. path .. ":" .. ex.line .. " failed:\n" .. e)
          if ex.output then assert.equal(ex.output, o) end
        end)
      end
    end)
  end

  it("has runnable examples in the tutorial", function()
    assert.is_true(#examples(docs["README.md"]) >= 4)
  end)
end)
