-- The page of lexis serve in a real browser, driven as a person would
-- through WebDriver (Debian's chromium-driver, headless Chromium): type a
-- query, see the hits, sort by a column, page, open a document, switch to
-- collocates; no script error in the console. Screenshots go to
-- build/serve/. Pending, saying why, when chromium or chromedriver is
-- missing (make test-deps installs both).

local h = require "helper"
local sh = require "serve_helper"
local cjson = require "cjson"

local SHOTS = "build/serve"

local function have(cmd) return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") end

-- One WebDriver call: method, path under the session, a table body.
local function wd(port, method, path, body)
  local tmp = h.tmpname()
  if body then h.write(tmp, cjson.encode(body)) end
  local p = io.popen(string.format("curl -s --max-time 60 -X %s -H 'Content-Type: application/json' %s 'http://127.0.0.1:%d%s'",
    method, body and ("--data-binary @" .. h.quote(tmp)) or "", port, path))
  local out = p:read("a")
  p:close()
  os.remove(tmp)
  local ok, t = pcall(cjson.decode, out)
  if not ok then error("webdriver: " .. method .. " " .. path .. ": " .. out) end
  if type(t.value) == "table" and t.value.error then
    error("webdriver: " .. method .. " " .. path .. ": " .. tostring(t.value.message))
  end
  return t.value
end

describe("the page of lexis serve in Chromium (WebDriver)", function()
  if not have("chromium") or not have("chromedriver") then
    pending("needs chromium and chromedriver (apt-get install chromium chromium-driver, or make test-deps)")
    return
  end

  local dir, index, server, driver, dport, sid, profile

  local function S(method, path, body) return wd(dport, method, "/session/" .. sid .. path, body) end
  local function find(css)
    local v = S("POST", "/element", { using = "css selector", value = css })
    for _, id in pairs(v) do return id end
  end
  local function all(css) return S("POST", "/elements", { using = "css selector", value = css }) end
  local function eid(e) for _, id in pairs(e) do return id end end
  local function js(code, args) return S("POST", "/execute/sync", { script = code, args = args or { 0 } }) end
  local wait_for = sh.waiter(js)   -- until a JS expression is true, at most 20 s
  local function shot(name)
    os.execute("mkdir -p " .. SHOTS)
    h.write(SHOTS .. "/" .. name .. ".png", sh.unbase64(S("GET", "/screenshot")))
  end

  setup(function()
    dir = h.tmpdir()
    local text = h.read("corpus/red-book-1936-excerpt.txt")
    local cut = text:find("\n", #text // 2, true)
    h.write(dir .. "/first.txt", text:sub(1, cut))
    h.write(dir .. "/second.txt", text:sub(cut + 1))
    index = sh.index(dir, "red-book", "corpus/")
    sh.index(dir, "second-half", dir .. "/second.txt")
    server = sh.start({ "serve", index, dir .. "/second-half.lexis", "--port", "0" })
    -- chromedriver on a port of its own, away from other runs of this spec
    dport = 9515 + (server.port % 400)
    driver = h.tmpname()
    os.execute(string.format("sh -c 'chromedriver --port=%d >/dev/null 2>&1 & echo $! >%s' ", dport, driver))
    for _ = 1, 100 do
      local p = io.popen(string.format("curl -s 'http://127.0.0.1:%d/status'", dport))
      local out = p:read("a")
      p:close()
      if out:find('"ready"', 1, true) then break end
      sh.sleep(0.1)
    end
    profile = h.tmpdir()
    local v = wd(dport, "POST", "/session", { capabilities = { alwaysMatch = {
      browserName = "chrome",
      ["goog:chromeOptions"] = { binary = "/usr/bin/chromium", args = {
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" .. profile } },
      ["goog:loggingPrefs"] = { browser = "ALL" },
    } } })
    sid = v.sessionId
  end)

  teardown(function()
    if sid then pcall(wd, dport, "DELETE", "/session/" .. sid) end
    if driver then os.execute("kill " .. h.read(driver):match("%d+") .. " 2>/dev/null"); os.remove(driver) end
    if server and server.pid then sh.stop(server) end
    if profile then h.rmdir(profile) end
    if dir then h.rmdir(dir) end
  end)

  it("searches, sorts, pages, opens a document and shows collocates, with no console error", function()
    S("POST", "/url", { url = server.url })
    wait_for("document.querySelectorAll('#corpus option').length === 2", "the corpora")
    S("POST", "/element/" .. find("#q") .. "/value", { text = "the" })
    S("POST", "/element/" .. find("details#options summary") .. "/click", {})
    S("POST", "/element/" .. find("#limit") .. "/clear", {})
    S("POST", "/element/" .. find("#limit") .. "/value", { text = "20" })
    S("POST", "/element/" .. find("#q") .. "/value", { text = "\u{E007}" })     -- Enter
    wait_for("document.querySelectorAll('table.kwic tbody tr').length === 20", "20 hits")
    assert.matches("168 hits", js("return document.getElementById('status').textContent"))
    shot("kwic")

    -- sort by R1: the first words right of the node come in order
    S("POST", "/element/" .. find("button.sort[data-key=R1]") .. "/click", {})
    wait_for("location.search.includes('sort=R1') && document.querySelector('button.sort.on')", "the sort")
    wait_for("document.querySelectorAll('table.kwic tbody tr').length === 20", "sorted hits")
    local firsts = js([[return [...document.querySelectorAll('table.kwic td.right')].map(td => td.textContent.trim().split(/\s+/)[0].toLowerCase())]])
    local api = cjson.decode((h.run({ "kwic", "the", index, "--sort", "R1", "--limit", "20", "--format", "json" })))
    for i, hit in ipairs(api) do assert.equal(hit.right:match("^%s*(%S*)"):lower(), firsts[i]) end
    shot("kwic-sorted")

    -- the next page, and back with the browser's back button
    S("POST", "/element/" .. find("#next") .. "/click", {})
    wait_for("location.search.includes('offset=20')", "page 2")
    wait_for("document.getElementById('status').textContent.includes('21–40')", "hits 21-40")
    S("POST", "/back", {})
    wait_for("!location.search.includes('offset=') && document.getElementById('status').textContent.includes('1–20')", "back to page 1")

    -- a hit opens its document, the hit marked
    local rows = all("table.kwic tbody tr")
    S("POST", "/element/" .. eid(rows[1]) .. "/click", {})
    wait_for("!document.getElementById('docview').hidden && document.querySelector('#doctext mark')", "the document view")
    assert.equal("the", js("return document.querySelector('#doctext mark').textContent"):lower())
    shot("document")
    S("POST", "/element/" .. find("#docclose") .. "/click", {})

    -- collocates of the query
    S("POST", "/element/" .. find("#tabs button[data-tab=collocates]") .. "/click", {})
    wait_for("location.search.includes('tab=collocates') && document.querySelectorAll('#result tbody tr').length > 5", "collocates")
    shot("collocates")
    S("POST", "/element/" .. find("#tabs button[data-tab=keywords]") .. "/click", {})
    wait_for("document.querySelectorAll('#result tbody tr').length > 5", "keywords")

    -- a CQL query, from a link: the hits of lexis kwic --cql, and their breakdown by form
    local Q = '"the" [word="[Oo]pp.*"]'
    S("POST", "/url", { url = server.url .. "?cql=1&q=" .. Q:gsub("[^%w]", function(c) return string.format("%%%02X", c:byte()) end) })
    local n = tonumber((h.run({ "kwic", "--cql", Q, index, "--count" })))
    assert.is_true(n > 0)
    wait_for("document.querySelectorAll('table.kwic tbody tr').length === " .. n, n .. " CQL hits")
    assert.is_true(js("return document.getElementById('cql').checked"))
    shot("kwic-cql")
    S("POST", "/element/" .. find("#tabs button[data-tab=freq]") .. "/click", {})
    wait_for("location.search.includes('tab=freq') && document.querySelectorAll('#result tbody tr').length > 0", "the CQL breakdown")

    -- nothing went wrong in the page's scripts
    local ok, log = pcall(S, "POST", "/se/log", { type = "browser" })
    if ok then
      for _, entry in ipairs(log) do
        assert.is_true(entry.level ~= "SEVERE", "console: " .. tostring(entry.message))
      end
    end
  end)

  it("reads well in a narrow window", function()
    S("POST", "/window/rect", { width = 420, height = 800 })
    S("POST", "/url", { url = server.url .. "?q=opposition&sort=R1" })
    wait_for("document.querySelectorAll('table.kwic tbody tr').length === 12", "12 hits")
    assert.is_true(js("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
    shot("narrow")
  end)
end)
