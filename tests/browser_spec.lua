-- The HTML report in a real browser: headless Chromium loads the page
-- written by scripts/report.lua, runs its script, and the DOM it dumps must
-- show the tables and plots, no script error, and tables that sort. A
-- screenshot is kept in build/browser/report.png for people to look at.
-- Pending when chromium is not installed (apt-get install chromium).

local h = require "helper"

local SHOT = "build/browser/report.png"

local function chromium()
  for _, name in ipairs({ "chromium", "chromium-browser" }) do
    if os.execute("command -v " .. name .. " >/dev/null 2>&1") then return name end
  end
end

-- Runs chromium headless on url with the extra flags; stdout, stderr. A
-- new empty profile each time, and nothing that reaches the network.
local function browse(browser, url, flags)
  local profile = os.tmpname()
  os.remove(profile)
  assert(os.execute("mkdir " .. h.quote(profile)))
  local out, err = os.tmpname(), os.tmpname()
  local cmd = table.concat({
    "timeout 120", h.quote(browser), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--user-data-dir=" .. h.quote(profile), flags, h.quote(url), ">" .. out, "2>" .. err,
  }, " ")
  os.execute(cmd)
  local o, e = h.read(out), h.read(err)
  os.remove(out); os.remove(err)
  os.execute("rm -rf " .. h.quote(profile))
  return o, e
end

describe("the HTML report in headless Chromium", function()
  local browser = chromium()
  if not browser then
    -- make test installs it (make test-deps): a missing browser is a failure, not a skip
    it("needs chromium", function() error("chromium is not installed: run make test-deps") end)
    return
  end

  local dir, page
  setup(function()
    dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir " .. h.quote(dir)))
    -- two halves of the corpus: a target and a reference for keywords
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    local cut = text:find("\n", #text // 2, true)
    h.write(dir .. "/first.txt", text:sub(1, cut))
    h.write(dir .. "/second.txt", text:sub(cut + 1))
    page = dir .. "/report.html"
    local _, err, code = h.run({ "scripts/report.lua", dir .. "/first.txt", "--ref", dir .. "/second.txt",
                                 "--word", "opposition", "-o", page })
    assert(code == 0, err)
  end)

  teardown(function()
    if dir then os.execute("rm -rf " .. h.quote(dir)) end
  end)

  it("renders the tables and plots with no script error, and the tables sort", function()
    local dom, log = browse(browser, "file://" .. page .. "#selftest", "--enable-logging=stderr --v=0 --dump-dom")
    assert.matches('<body[^>]- data%-ready="1"', dom)          -- the script ran to its end
    assert.matches('data%-selftest="ok"', dom)                  -- every numeric column sorts both ways
    assert.matches('<pre id="lexis%-errors" hidden="">%s*</pre>', dom)
    assert.is_nil(log:find("Uncaught", 1, true), log)
    assert.equal(6, select(2, dom:gsub('<table class="lexis sortable', "")))
    assert.equal(5, select(2, dom:gsub("<svg ", "")))
    assert.matches('<th class="num" tabindex="0"', dom)         -- headers made sortable
    assert.matches(">Opposition<", dom)
  end)

  it("saves a screenshot", function()
    os.execute("mkdir -p build/browser")
    os.remove(SHOT)
    local cwd = os.getenv("PWD") or "."
    browse(browser, "file://" .. page, "--window-size=1200,4200 --screenshot=" .. h.quote(cwd .. "/" .. SHOT))
    local png = h.read(SHOT)
    assert.equal("\137PNG", png:sub(1, 4))
    assert.is_true(#png > 20000, "a blank page is small: " .. #png .. " bytes")
  end)
end)
