-- lexis.plot: the SVG charts are well formed, their texts do not overlap
-- (by the same width estimate the layout uses), they fit the canvas, and
-- they show what they claim (a tick per hit, log axes); the terminal strip.

local lexis = require "lexis"
local plot = require "lexis.plot"
local core = require "lexis.core"

local CORPUS = { "corpus/red-book-1936-excerpt.txt" }

-- Tags balance: every opened element is closed, in order.
local function well_formed(svg)
  local stack = {}
  for slash, name, selfclose in svg:gmatch("<(/?)([%w:]+)[^>]-(/?)>") do
    if slash == "/" then
      assert.equal(table.remove(stack), name)
    elseif selfclose ~= "/" then
      stack[#stack + 1] = name
    end
  end
  assert.same({}, stack)
  assert.matches('^<svg xmlns="http://www.w3.org/2000/svg"', svg)
  assert.matches("<title>[^<]+</title>", svg)
end

local function unescape(s)
  return (s:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"'):gsub("&#39;", "'"):gsub("&amp;", "&"))
end

-- The boxes of the unrotated texts: x0, x1, y0, y1.
local function text_boxes(svg)
  local boxes = {}
  local W = tonumber(svg:match('width="(%d+)"'))
  local H = tonumber(svg:match('height="(%d+)"'))
  for attrs, body in svg:gmatch("<text ([^>]*)>([^<]*)</text>") do
    if not attrs:find("rotate") then
      local x, y = tonumber(attrs:match('x="([-%d.]+)"')), tonumber(attrs:match('y="([-%d.]+)"'))
      local size = tonumber(attrs:match('font%-size="(%d+)"')) or 12
      local w = plot._text_px(unescape(body), size)
      local anchor = attrs:match('text%-anchor="(%a+)"') or "start"
      local x0 = anchor == "end" and x - w or anchor == "middle" and x - w / 2 or x
      boxes[#boxes + 1] = { x0 = x0, x1 = x0 + w, y0 = y - size * 0.8, y1 = y + size * 0.2, text = body }
    end
  end
  for _, b in ipairs(boxes) do
    assert.is_true(b.x0 >= -0.5 and b.x1 <= W + 0.5 and b.y0 >= 0 and b.y1 <= H,
                   "text outside the canvas: " .. b.text)
  end
  return boxes
end

local function no_overlap(svg)
  local boxes = text_boxes(svg)
  for i = 1, #boxes do
    for j = i + 1, #boxes do
      local a, b = boxes[i], boxes[j]
      local apart = a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
      assert.is_true(apart, string.format("%q overlaps %q", a.text, b.text))
    end
  end
  return #boxes
end

describe("lexis.plot", function()
  local conc = lexis.kwic(CORPUS, "Stalin")

  it("is in the registry", function()
    assert.is_table(lexis._api.plot)
    assert.is_function(lexis.plot.dispersion)
  end)

  it("draws a dispersion plot: a bar per document, a tick per hit", function()
    local svg = plot.dispersion(conc, { title = "Stalin" })
    well_formed(svg)
    no_overlap(svg)
    local ticks = 0
    for d in svg:gmatch('<path d="([^"]+)" stroke="#1f4e99"') do
      ticks = ticks + select(2, d:gsub("M", ""))
    end
    assert.equal(#conc, ticks)
    assert.matches(#conc .. " hits", svg)
    -- rows given by hand: two documents, long labels cut
    local rows = {
      { label = "a document with a very long name indeed, longer than a third of the chart can hold",
        size = 100, hits = { 0, 50, 99 } },
      { label = "<b>", size = 10, hits = {} },
    }
    svg = plot.dispersion(rows, { width = 400 })
    well_formed(svg)
    no_overlap(svg)
    assert.matches("…", svg)
    assert.matches("&lt;b&gt;", svg, 1, true)
  end)

  it("keeps document order in a concordance sorted otherwise", function()
    local text = io.open(CORPUS[1]):read("a")
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir " .. dir)
    local a, b = dir .. "/a.txt", dir .. "/b.txt"
    io.open(a, "w"):write("zebra qqqx\n" .. text):close()
    io.open(b, "w"):write("aardvark qqqx\n"):close()
    local sorted = lexis.kwic({ a, b }, "qqqx", { sort = "L1" })    -- b's hit first
    assert.equal(b, sorted:hit(1).doc)
    local rows = plot.dispersion_rows(sorted)
    assert.same({ "a.txt", "b.txt" }, { rows[1].label, rows[2].label })
    assert.equal(#text + 11, rows[1].size)
    os.execute("rm -rf " .. dir)
  end)

  it("gives documents without hits their empty bar, in corpus order", function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute("mkdir " .. dir)
    local files = {}
    for i, text in ipairs({ "qqqx", "nothing here", "qqqx" }) do
      files[i] = dir .. "/" .. i .. ".txt"
      -- 100 bytes each, the hits (if any) at the start
      io.open(files[i], "w"):write(text .. string.rep(".", 99 - #text) .. "\n"):close()
    end
    local scanned = lexis.kwic(files, "qqqx")
    local indexed = require("lexis.corpus").corpus(files):kwic("qqqx")
    for _, conc in ipairs({ scanned, indexed }) do
      local rows = plot.dispersion_rows(conc)
      assert.same({ "1.txt", "2.txt", "3.txt" }, { rows[1].label, rows[2].label, rows[3].label })
      assert.same({ 1, 0, 1 }, { #rows[1].hits, #rows[2].hits, #rows[3].hits })
      assert.same({ 100, 100, 100 }, { rows[1].size, rows[2].size, rows[3].size })
      local svg = plot.dispersion(conc)
      well_formed(svg)
      no_overlap(svg)
      assert.equal(3, select(2, svg:gsub('fill="#f4f4f4"', "")))      -- three bars
      assert.matches(">2.txt<.->0 hits<", svg)
      -- the strip: the empty document keeps its third of the line
      assert.equal("█ █", plot.strip(conc, { width = 3 }))
    end
    os.execute("rm -rf " .. dir)
  end)

  it("draws frequency bars of counts and results", function()
    local svg = plot.bars(lexis.count(CORPUS, { lower = true, stop = "en" }), { top = 10 })
    well_formed(svg)
    no_overlap(svg)
    assert.equal(10, select(2, svg:gsub('<rect x="[^"]+" y="[^"]+" width="[^"]+" height="18"', "")))
    assert.matches(">stalin<", svg)
    svg = plot.bars(lexis.ngrams(CORPUS, { n = 3, top = 8 }), { width = 360 })
    well_formed(svg)
    no_overlap(svg)
  end)

  it("draws rank against frequency on log-log axes", function()
    local svg = plot.zipf(lexis.count(CORPUS, { lower = true }))
    well_formed(svg)
    no_overlap(svg)
    for _, label in ipairs({ ">1<", ">10<", ">100<", ">1,000<" }) do assert.matches(label, svg) end
    assert.matches(">the<", svg)
    svg = plot.zipf(lexis.count(CORPUS, { lower = true }), { names = 10 })
    no_overlap(svg)
    assert.equal(10, select(2, svg:gsub("<circle ", "")))
    well_formed(plot.zipf({ 1, 100, 10, 5 }))
    well_formed(plot.zipf({}))
  end)

  it("draws keyness bars, positive right and negative left", function()
    local text = io.open(CORPUS[1]):read("a")
    local half = #text // 2
    local kw = lexis.keywords(text:sub(1, half), text:sub(half + 1), { lower = true })
    local svg = plot.keyness(kw, { top = 10 })
    well_formed(svg)
    no_overlap(svg)
    assert.matches("Keywords by g2", svg)
    assert.equal(20, select(2, svg:gsub("<rect x=[^>]+><title>", "")))
  end)

  it("draws a terminal strip of block characters", function()
    local s = plot.strip(conc, { width = 40 })
    assert.equal(40, utf8.len(s))
    assert.is_nil(s:find("[^ \226\150\129-\136]"))
    assert.matches("█", s)
    assert.equal("█   ▄", plot.strip({ 0, 0, 0.99 }, { width = 5 }))
    assert.equal("   ", plot.strip({}, { width = 3 }))
  end)

  it("saves whole files", function()
    local path = os.tmpname()
    assert.is_true(plot.save(plot.zipf({ 3, 2, 1 }), path))
    assert.matches("</svg>\n$", io.open(path):read("a"))
    os.remove(path)
    assert.is_nil(plot.save("x", "/nonexistent/dir/x.svg"))
  end)

  it("estimates wide characters as wider", function()
    assert.is_true(plot._text_px("日本") > plot._text_px("ab"))
    assert.equal(core.displaywidth("日本"), 4)
  end)
end)
