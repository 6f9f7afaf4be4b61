-- Progress within one big file: the C jobs that read files (tokenizer scan,
-- word readers, n-grams on threads, index builder, kwic scan) report bytes
-- as they go, so on a terminal the line moves before the file is done; an
-- error in the hook stops the job and is raised once it has cleaned up.

local h = require "helper"
local core = require "lexis.core"

local dir, big, size
setup(function()
  dir = h.tmpdir()
  local text = h.read("corpus/red-book-1936-excerpt.txt")
  -- 10 MB: more than the threshold of every job's threads (8 MB)
  local body = string.rep(text, math.ceil(10e6 / #text))
  big = h.write(dir .. "/big.txt", body)
  size = #body
end)
teardown(function() h.rmdir(dir) end)

local have_script = os.execute("command -v script >/dev/null 2>&1")

-- Runs lexis with stderr on a pseudo-terminal (stdout to /dev/null) and
-- the progress line due at once; returns what the terminal showed.
local function on_terminal(args)
  local inner = "LEXIS_PROGRESS_DELAY=0 " .. h.quote(h.bin) .. " " .. args .. " >/dev/null"
  local p = io.popen("script -qec " .. h.quote(inner) .. " /dev/null")
  local out = p:read("a")
  p:close()
  return out
end

-- The percentages the line showed for `label`.
local function percents(tty, label)
  local list = {}
  for pct in tty:gmatch(label .. ": [%d.]+ [kMG]?B of [%d.]+ [kMG]?B %((%d+)%%%)") do
    list[#list + 1] = tonumber(pct)
  end
  return list
end

describe("progress within a file", function()
  local jobs = {
    { "freq", "freq %s" },
    { "ngrams", "ngrams %s --threads 2" },
    { "collocates", "collocates the %s" },
    { "wordlist", "wordlist %s" },
    { "index", "index %s -o %s/x.lexis" },
    { "kwic", "kwic the %s --count" },
  }
  for _, job in ipairs(jobs) do
    local label, form = job[1], job[2]
    it(label .. " shows the bytes of a big file while it reads it, on a terminal", function()
      if not have_script then return end
      local args = form:format(h.quote(big), h.quote(dir))
      local shown = percents(on_terminal(args), label)
      assert.is_true(#shown > 0, "no progress line")
      assert.is_true(shown[1] < 100, "the first line came only at the end")
    end)
  end

  it("index says what it does once the text is read, to the end", function()
    if not have_script then return end
    local tty = on_terminal("index " .. h.quote(big) .. " -o " .. h.quote(dir .. "/w.lexis"))
    assert.matches("index: sorting and writing the index %(", tty)
  end)

  it("shows nothing when standard error is not a terminal", function()
    for _, args in ipairs({ { "freq", big }, { "ngrams", big }, { "index", big, "-o", dir .. "/y.lexis" },
                            { "kwic", "the", big, "--count" } }) do
      local _, err, code = h.run(args, nil, { LEXIS_PROGRESS_DELAY = "0" })
      assert.equal(0, code)
      assert.same({}, percents(err, args[1]))
      assert.falsy(err:find("\r"))     -- index prints its summary line, nothing else
    end
  end)

  it("shows nothing on a terminal with index --quiet or LEXIS_PROGRESS=0", function()
    if not have_script then return end
    assert.same({}, percents(on_terminal("index -q " .. h.quote(big) .. " -o " .. h.quote(dir .. "/z.lexis")), "index"))
    local p = io.popen("script -qec " .. h.quote("LEXIS_PROGRESS=0 LEXIS_PROGRESS_DELAY=0 " .. h.quote(h.bin)
                       .. " freq " .. h.quote(big) .. " >/dev/null") .. " /dev/null")
    local tty = p:read("a")
    p:close()
    assert.same({}, percents(tty, "freq"))
  end)
end)

describe("progress hooks of the C jobs", function()
  -- The jobs, each given a hook; on two threads where they have them.
  local function jobs(hook)
    return {
      scanfile = function()
        local tok = core.tokenizer()
        return tok:scanfile(big, { counts = core.counts(), threads = 2, chunk = 1 << 16, progress = hook })
      end,
      ngrams = function() return core.ngrams(2, {}):addfile(big, 2, hook) end,
      wordlist = function() return core.wordlist(0, 0, {}):addfile(big, hook) end,
      index = function()
        local b <close> = core.builder()
        return b:add(big, hook)
      end,
      kwic = function()                -- tokens around each hit: two threads
        local c = core.conc(5, 5)
        c:_addfile(big)
        return c:_scan("the", false, false, 0, nil, hook)
      end,
      kwic_word = function()           -- a bare word: the byte search
        local c = core.conc(0, 0)
        c:_addfile(big)
        return c:_scan("the", false, false, 0, nil, hook)
      end,
    }
  end

  it("are called with the bytes done, growing, from before the end", function()
    local names = {}
    for name in pairs(jobs()) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      local seen = {}
      local t0 = core.clock()
      assert(jobs(function(done) seen[#seen + 1] = done end)[name]())
      local secs = core.clock() - t0
      assert.is_true(#seen > 0, name .. ": never called")
      assert.is_true(seen[1] > 0 and seen[1] < size, name .. ": first at the end")
      for i = 2, #seen do assert.is_true(seen[i] > seen[i - 1], name .. ": not growing") end
      -- a few calls a second at most (one at once, then one per 1/4 s)
      assert.is_true(#seen <= 2 + secs * 4, name .. ": called " .. #seen .. " times in " .. secs .. " s")
    end
  end)

  it("stop the job when they raise, and the error comes out after it", function()
    for name, job in pairs(jobs(function() error("enough, thanks") end)) do
      local ok, err = pcall(job)
      assert.is_false(ok, name)
      assert.matches("enough, thanks", tostring(err), 1, true)
    end
    -- the state is whole: the same kinds of job run again
    assert(jobs(nil).scanfile())
    assert(jobs(nil).index())
  end)

  it("count each byte of a two-thread kwic scan once, never going back", function()
    -- the second thread starts at a newline far before its half (byte 6
    -- here): the bytes it reads again must not be told twice, or taken off
    local chunk = string.rep("alpha beta gamma delta ", 1000)
    local text = "alpha\n" .. chunk:rep(240) .. "\n" .. chunk:rep(170)
    local c = core.conc(5, 5)
    c:_addtext("t", text)
    local seen = {}
    assert(c:_scan("gamma", false, false, 0, nil, function(done) seen[#seen + 1] = done end))
    assert.is_true(#seen > 0)
    for i, v in ipairs(seen) do
      assert.is_true(v > 0 and v <= #text, "bytes done: " .. v)
      if i > 1 then assert.is_true(v > seen[i - 1]) end
    end
  end)

  it("cost nothing when absent: nil is no hook", function()
    local st = assert(jobs(nil).scanfile())
    assert.equal(size, st.bytes)
  end)
end)
