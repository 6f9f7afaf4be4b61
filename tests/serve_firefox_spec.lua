-- One smoke test of the page of lexis serve in headless Firefox (Debian's
-- firefox-esr): type a query, see the hits, no error in the browser's
-- console. Debian packages no geckodriver, so the test speaks Firefox's own
-- Marionette protocol (messages "LENGTH:JSON" over TCP; bash's /dev/tcp
-- carries them). The console: the page's script errors from its load on,
-- read in Firefox's chrome context, and its console.error calls once it
-- has loaded. A screenshot goes to build/serve/. Pending,
-- saying why, when firefox-esr is missing (make test-deps installs it).

local h = require "helper"
local sh = require "serve_helper"
local cjson = require "cjson"

local SHOTS = "build/serve"

local function have(cmd) return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") end

-- A Marionette connection: send(command, params) -> the result, or an
-- error naming the command and Firefox's message.
local function marionette(port)
  local inbox = h.tmpname()
  local bridge = string.format("exec 3<>/dev/tcp/127.0.0.1/%d || exit 1; cat <&3 >%s & exec cat >&3",
                               port, h.quote(inbox))
  local pipe = assert(io.popen("exec bash -c " .. h.quote(bridge), "w"))
  local m, pos, id = {}, 1, 0
  -- the next whole message from Firefox, decoded, waiting at most 30 s
  local function receive(what)
    for _ = 1, 300 do
      local buf = h.read(inbox)
      local len, colon = buf:match("^(%d+)():", pos)
      if len and #buf >= colon + tonumber(len) then
        local body = buf:sub(colon + 1, colon + tonumber(len))
        pos = colon + tonumber(len) + 1
        return cjson.decode(body)
      end
      sh.sleep(0.1)
    end
    error("marionette: no answer to " .. what)
  end
  local hello = receive("the connection")
  assert(hello.marionetteProtocol == 3, "marionette: unexpected hello")
  function m.send(command, params)
    id = id + 1
    local msg = cjson.encode({ 0, id, command, params or cjson.empty_array })
    pipe:write(#msg, ":", msg)
    pipe:flush()
    local r = receive(command)
    if r[3] ~= cjson.null then error("marionette: " .. command .. ": " .. tostring(r[3].message)) end
    return r[4]
  end
  function m.close()
    pipe:close()
    os.remove(inbox)
  end
  return m
end

describe("the page of lexis serve in Firefox (Marionette)", function()
  if not have("firefox-esr") or not have("bash") then
    pending("needs firefox-esr (apt-get install firefox-esr, or make test-deps) and bash")
    return
  end

  local dir, server, profile, ff, m

  setup(function()
    dir = h.tmpdir()
    local index = sh.index(dir)
    server = sh.start({ "serve", index, "--port", "0" })
    -- A profile of its own: Marionette on a free port (Firefox writes it to
    -- MarionetteActivePort), nothing fetched or shown at start.
    profile = h.tmpdir()
    h.write(profile .. "/user.js", [[
user_pref("marionette.port", 0);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.disabledForTesting", true);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
]])
    ff = { pid = h.tmpname(), log = h.tmpname() }
    os.execute(string.format("sh -c 'firefox-esr --headless --marionette --remote-allow-system-access --no-remote --profile %s about:blank >%s 2>&1 & echo $! >%s'",
      h.quote(profile), h.quote(ff.log), h.quote(ff.pid)))
    local port
    for _ = 1, 300 do
      local f = io.open(profile .. "/MarionetteActivePort")
      if f then port = tonumber(f:read("a")); f:close() end
      if port then break end
      sh.sleep(0.1)
    end
    assert(port, "firefox started no Marionette server: " .. h.read(ff.log))
    m = marionette(port)
    m.send("WebDriver:NewSession", { capabilities = { alwaysMatch = { acceptInsecureCerts = false } } })
    m.send("WebDriver:SetWindowRect", { width = 1200, height = 900 })
  end)

  teardown(function()
    if m then
      pcall(m.send, "Marionette:Quit", { flags = { "eForceQuit" } })
      m.close()
    end
    if ff then
      os.execute("kill " .. (h.read(ff.pid):match("%d+") or "") .. " 2>/dev/null")
      os.remove(ff.pid); os.remove(ff.log)
    end
    if server and server.pid then sh.stop(server) end
    if profile then h.rmdir(profile) end
    if dir then h.rmdir(dir) end
  end)

  local function js(code) return m.send("WebDriver:ExecuteScript", { script = code, args = cjson.empty_array }).value end
  local wait_for = sh.waiter(js)   -- until a JS expression is true, at most 20 s
  local function element(css)
    local e = m.send("WebDriver:FindElement", { using = "css selector", value = css }).value
    for _, eid in pairs(e) do return eid end
  end

  -- The errors Firefox's console holds for pages of the server: script
  -- errors (of the page's files and its Content-Security-Policy), read in
  -- the chrome context, and the console.error calls of the page that the
  -- hook below recorded. (Firefox keeps a page's console calls in its
  -- content process, out of reach of the chrome context; its own modules
  -- write console errors of their own on its output, so that is no test.)
  local function console_errors()
    m.send("Marionette:SetContext", { value = "chrome" })
    local list = m.send("WebDriver:ExecuteScript", { args = { server.url }, script = [[
      const origin = arguments[0].replace(/\/$/, "");
      const out = [];
      for (const msg of Services.console.getMessageArray() || []) {
        if (!(msg instanceof Ci.nsIScriptError) || (msg.flags & Ci.nsIScriptError.warningFlag)) continue;
        if (msg.category === "chrome javascript" || msg.isFromChromeContext) continue;
        if (!(msg.sourceName || "").startsWith(origin) && !msg.innerWindowID) continue;
        out.push(msg.category + ": " + msg.errorMessage + " (" + msg.sourceName + ":" + msg.lineNumber + ")");
      }
      return out;
    ]] }).value
    m.send("Marionette:SetContext", { value = "content" })
    for _, call in ipairs(js("return window.lexisConsoleErrors || ['the console.error hook is gone']")) do
      list[#list + 1] = "console.error: " .. call
    end
    return list
  end

  it("types a query and shows its hits, with no console error", function()
    m.send("WebDriver:Navigate", { url = server.url })
    wait_for("document.querySelectorAll('#corpus option').length === 1", "the corpus list")
    -- from here on, the page's console.error calls are kept where the test reads them
    js([[window.lexisConsoleErrors = [];
         const error = console.error;
         console.error = (...args) => { window.lexisConsoleErrors.push(args.map(String).join(" ")); error.apply(console, args); };]])
    m.send("WebDriver:ElementSendKeys", { id = element("#q"), text = "opposition\u{E007}" })  -- Enter
    wait_for("document.querySelectorAll('table.kwic tbody tr').length === 12", "12 hits")
    assert.matches("12 hits", js("return document.getElementById('status').textContent"))
    assert.matches("q=opposition", js("return location.search"))
    local nodes = js("return [...document.querySelectorAll('table.kwic td.node')].map(td => td.textContent.trim().toLowerCase())")
    assert.equal(12, #nodes)
    for _, n in ipairs(nodes) do assert.equal("opposition", n) end

    os.execute("mkdir -p " .. SHOTS)
    local png = sh.unbase64(m.send("WebDriver:TakeScreenshot", { full = false }).value)
    assert.equal("\137PNG", png:sub(1, 4))
    h.write(SHOTS .. "/firefox-kwic.png", png)

    assert.same({}, console_errors())
  end)
end)
