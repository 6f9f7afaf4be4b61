-- lexis.plot: charts as SVG text, made here (no external service, no
-- library), and a one-line dispersion strip for the terminal.
--
--   lexis.plot.dispersion(conc_or_rows [, opts])  -> svg   a bar per document, a tick per hit
--   lexis.plot.bars(result [, opts])              -> svg   horizontal frequency bars
--   lexis.plot.zipf(counts [, opts])              -> svg   rank against frequency, log-log
--   lexis.plot.keyness(keywords [, opts])         -> svg   diverging bars, + right, - left
--   lexis.plot.strip(conc_or_positions [, opts])  -> "▁▃ █▂ ..." one line of block characters
--   lexis.plot.save(svg, path)                    -> true | nil, message, errno
--
-- Text widths are estimated (a column of display width is about 0.6 em in
-- a sans-serif face), and labels that would not fit are cut with "…", so no
-- two texts overlap. Every chart has a <title> for screen readers.

local core = require "lexis.core"
local report = require "lexis.report"

local M = {}

local FONT = 12            -- the labels' size in pixels
local esc = report.escape_html

-- The estimated width in pixels of text at a font size.
local function text_px(s, size)
  return core.displaywidth(tostring(s)) * (size or FONT) * 0.6
end
M._text_px = text_px

-- s cut to fit px pixels at a font size.
local function fit(s, px, size)
  local cols = math.floor(px / ((size or FONT) * 0.6))
  return core.truncate(tostring(s), math.max(cols, 1))
end

local function is_conc(x)
  local mt = getmetatable(x)
  return type(mt) == "table" and mt.__name == "lexis.Concordance"
end

local function num(v)
  return (string.format("%.1f", v):gsub("%.0$", ""))
end

-- A chart: an svg element of a size, with a title; parts appended to it.
local function svg(w, h, title)
  local parts = {
    string.format('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
                  .. 'font-family="sans-serif" font-size="%d" role="img" class="lexis-plot">',
                  w, h, w, h, FONT),
    "<title>" .. esc(title) .. "</title>",
    string.format('<rect width="%d" height="%d" fill="white"/>', w, h),
  }
  local chart = {}
  function chart.add(fmt, ...) parts[#parts + 1] = select("#", ...) > 0 and string.format(fmt, ...) or fmt end
  function chart.text(x, y, s, attrs)
    parts[#parts + 1] = string.format('<text x="%s" y="%s"%s>%s</text>', num(x), num(y),
                                      attrs and " " .. attrs or "", esc(s))
  end
  function chart.done() parts[#parts + 1] = "</svg>\n" return table.concat(parts, "\n") end
  return chart
end

-- "1234567" -> "1,234,567": axis and bar labels.
local function thousands(n)
  if math.type(n) ~= "integer" and n ~= math.floor(n) then return string.format("%.2f", n) end
  local s = string.format("%d", n)
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^(-?),", "%1"))
end

-- ===================================================================
-- Dispersion
-- ===================================================================

local function basename(path)
  return tostring(path):match("([^/]+)$") or tostring(path)
end

local function file_size(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local n = f:seek("end")
  f:close()
  return n
end

-- plot.dispersion_rows(conc [, opts]) -> { { label, size, hits = { byte offsets } }, ... }:
-- one row per document of a concordance, those without hits too (an empty
-- bar says as much as a full one), in document order whatever the hits'
-- order. A document's size is opts.sizes[doc], or its text's when scanned,
-- or its file's, or its last hit's end. opts.label(doc) names a row (the
-- file name).
function M.dispersion_rows(conc, opts)
  opts = opts or {}
  local rows, by = {}, {}
  for i, d in ipairs(conc:_docs(true)) do
    rows[i] = { label = opts.label and opts.label(d.doc) or basename(d.doc), doc = d.doc, hits = {},
                size = d.size }
    by[d.docnum] = rows[i]
  end
  for i = 1, #conc do
    local hit = conc:hit(i)
    local row = by[hit.docnum]
    row.hits[#row.hits + 1] = hit.start - 1
    row.last = math.max(row.last or 0, hit.stop)
  end
  for _, row in ipairs(rows) do
    row.size = (opts.sizes and opts.sizes[row.doc]) or row.size or file_size(row.doc) or row.last or 1
  end
  return rows
end

-- plot.dispersion(x [, opts]) -> svg. x: a lexis.Concordance or rows of
-- { label, size, hits = { offsets } }. opts: width (720), title, bar (the
-- bar's height, 22).
function M.dispersion(x, opts)
  opts = opts or {}
  local rows = x
  if is_conc(x) then rows = M.dispersion_rows(x, opts) end
  local W, bar, gap = opts.width or 720, opts.bar or 22, 10
  local title = opts.title or "Dispersion"
  -- the label column as wide as the widest label, at most a third of the chart
  local labelw = 0
  for _, r in ipairs(rows) do labelw = math.max(labelw, text_px(r.label)) end
  labelw = math.min(labelw, W / 3) + 12
  local countw = text_px("99,999 hits") + 12
  local x0, x1 = 10 + labelw, W - countw - 10
  local top = 36
  local H = top + #rows * (bar + gap) + 30
  local c = svg(W, H, title)
  c.text(10, 22, title, 'font-weight="bold" font-size="14"')
  for i, r in ipairs(rows) do
    local y = top + (i - 1) * (bar + gap)
    c.text(x0 - 8, y + bar / 2 + 4, fit(r.label, labelw - 12), 'text-anchor="end"')
    c.add('<rect x="%s" y="%s" width="%s" height="%d" fill="#f4f4f4" stroke="#555"/>',
          num(x0), num(y), num(x1 - x0), bar)
    -- hits closer than a quarter pixel share a tick: a common word in a
    -- big text would otherwise make a page of megabytes
    local ticks, seen = {}, {}
    for _, at in ipairs(r.hits) do
      local tx = x0 + (x1 - x0) * math.min(math.max(at / math.max(r.size, 1), 0), 1)
      local key = math.floor(tx * 4 + 0.5)
      if not seen[key] then
        seen[key] = true
        ticks[#ticks + 1] = string.format("M%s %sv%d", string.format("%.2f", tx), num(y + 1), bar - 2)
      end
    end
    if #ticks > 0 then c.add('<path d="%s" stroke="#1f4e99" stroke-width="1"/>', table.concat(ticks)) end
    c.text(x1 + 8, y + bar / 2 + 4, thousands(#r.hits) .. (#r.hits == 1 and " hit" or " hits"))
  end
  -- the scale under the bars: 0 % to 100 % of each document
  local ya = top + #rows * (bar + gap) + 4
  for k = 0, 4 do
    local tx = x0 + (x1 - x0) * k / 4
    c.add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555"/>', num(tx), num(ya - 4), num(tx), num(ya))
    c.text(tx, ya + 14, (k * 25) .. "%", 'text-anchor="middle" fill="#444"')
  end
  return c.done()
end

-- ===================================================================
-- Frequency bars
-- ===================================================================

local LABELS = { "word", "ngram", "label", "name" }
local VALUES = { "count", "freq", "value", "n" }

-- Labels and values of a result, a lexis.Counts or records, top n.
local function pairs_of(x, opts, n)
  local t = report.records(x, { limit = n })
  local lk, vk = opts.label, opts.value
  for _, k in ipairs(LABELS) do
    if not lk and t.rows[1] and t.rows[1][k] ~= nil then lk = k end
  end
  for _, k in ipairs(VALUES) do
    if not vk and t.rows[1] and t.rows[1][k] ~= nil then vk = k end
  end
  local out = {}
  for i, row in ipairs(t.rows) do
    out[i] = { label = tostring(row[lk or 1] or ""), value = tonumber(row[vk or 2]) or 0 }
  end
  return out, t.title
end

-- plot.bars(x [, opts]) -> svg: horizontal bars, largest first as given.
-- x: a result, a lexis.Counts or records; opts: label, value (the
-- columns; guessed: word or ngram, count or freq), top (20), width, title.
function M.bars(x, opts)
  opts = opts or {}
  local items = pairs_of(x, opts, opts.top or 20)
  local W, bar, gap = opts.width or 720, 18, 6
  local title = opts.title or "Frequency"
  local max, labelw, valuew = 0, 0, 0
  for _, it in ipairs(items) do
    max = math.max(max, it.value)
    labelw = math.max(labelw, text_px(it.label))
    valuew = math.max(valuew, text_px(thousands(it.value)))
  end
  labelw = math.min(labelw, W / 3) + 12
  local x0, x1 = 10 + labelw, W - valuew - 18
  local top = 36
  local H = top + #items * (bar + gap) + 10
  local c = svg(W, H, title)
  c.text(10, 22, title, 'font-weight="bold" font-size="14"')
  for i, it in ipairs(items) do
    local y = top + (i - 1) * (bar + gap)
    local bw = max > 0 and (x1 - x0) * it.value / max or 0
    c.text(x0 - 8, y + bar / 2 + 4, fit(it.label, labelw - 12), 'text-anchor="end"')
    c.add('<rect x="%s" y="%s" width="%s" height="%d" fill="#4a78c2"><title>%s: %s</title></rect>',
          num(x0), num(y), num(bw), bar, esc(it.label), esc(thousands(it.value)))
    c.text(x0 + bw + 6, y + bar / 2 + 4, thousands(it.value), 'fill="#333"')
  end
  return c.done()
end

-- ===================================================================
-- Rank and frequency on log-log axes (Zipf)
-- ===================================================================

-- plot.zipf(x [, opts]) -> svg. x: a lexis.Counts, a result with a count
-- or freq column, or a list of numbers. opts: width (640), height (420),
-- title, names (how many of the commonest words to name, 5).
function M.zipf(x, opts)
  opts = opts or {}
  local items = {}
  if type(x) == "table" and type(x[1]) == "number" then
    for i, v in ipairs(x) do items[i] = { value = v, label = "" } end
    table.sort(items, function(a, b) return a.value > b.value end)
  else
    items = pairs_of(x, opts, nil)
  end
  local W, H = opts.width or 640, opts.height or 420
  local title = opts.title or "Rank and frequency (log-log)"
  local c = svg(W, H, title)
  c.text(10, 22, title, 'font-weight="bold" font-size="14"')
  local left, right, top, bottom = 64, 20, 40, 48
  local n = #items
  local fmax = n > 0 and math.max(items[1].value, 1) or 1
  -- decades that cover the data
  local xdec = math.max(1, math.ceil(math.log(math.max(n, 2), 10)))
  local ydec = math.max(1, math.ceil(math.log(math.max(fmax, 2), 10)))
  local function px(rank) return left + (W - left - right) * math.log(rank, 10) / xdec end
  local function py(f) return H - bottom - (H - top - bottom) * math.log(f, 10) / ydec end
  c.add('<path d="M%d %dV%dH%d" fill="none" stroke="#333"/>', left, top, H - bottom, W - right)
  for k = 0, xdec do
    local tx = px(10 ^ k)
    c.add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#333"/>', num(tx), H - bottom, num(tx), H - bottom + 5)
    c.add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#eee"/>', num(tx), top, num(tx), H - bottom)
    c.text(tx, H - bottom + 18, thousands(math.tointeger(10 ^ k) or 10 ^ k), 'text-anchor="middle"')
  end
  for k = 0, ydec do
    local ty = py(10 ^ k)
    c.add('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#333"/>', left - 5, num(ty), left, num(ty))
    c.add('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#eee"/>', left, num(ty), W - right, num(ty))
    c.text(left - 8, ty + 4, thousands(math.tointeger(10 ^ k) or 10 ^ k), 'text-anchor="end"')
  end
  c.text((left + W - right) / 2, H - 10, "rank", 'text-anchor="middle"')
  c.text(16, (top + H - bottom) / 2, "frequency",
         string.format('text-anchor="middle" transform="rotate(-90 16 %s)"', num((top + H - bottom) / 2)))
  -- one point per rank; many ranks share a pixel at the tail, so the path
  -- skips points that would land on the previous one
  local d, lastx, lasty = {}, nil, nil
  for i, it in ipairs(items) do
    if it.value > 0 then
      local x, y = px(i), py(it.value)
      if not lastx or math.abs(x - lastx) >= 1 or math.abs(y - lasty) >= 1 then
        d[#d + 1] = string.format("%s%s %s", #d == 0 and "M" or "L", num(x), num(y))
        lastx, lasty = x, y
      end
    end
  end
  if #d > 0 then c.add('<path d="%s" fill="none" stroke="#1f4e99" stroke-width="1.5"/>', table.concat(d)) end
  -- the commonest words named above and right of their points, where the
  -- falling curve is not; a label that would meet the one before moves
  -- right past it
  local last
  for i = 1, math.min(opts.names or 5, n) do
    local it = items[i]
    if it.label ~= "" and it.value > 0 then
      local x, y = px(i), py(it.value)
      c.add('<circle cx="%s" cy="%s" r="3" fill="#c0392b"/>', num(x), num(y))
      local label = fit(it.label, 120)
      local lx, ly = x + 6, y - 6
      if last and ly > last.y - FONT - 1 and lx < last.x1 + 4 then lx = last.x1 + 4 end
      if lx + text_px(label) <= W then
        c.text(lx, ly, label, 'fill="#c0392b"')
        last = { x1 = lx + text_px(label), y = ly }
      end
    end
  end
  return c.done()
end

-- ===================================================================
-- Keyness
-- ===================================================================

-- plot.keyness(result [, opts]) -> svg: the keywords of lexis.keywords as
-- bars from a middle line, positive ones to the right, negative to the
-- left, by opts.by (the result's measure, else g2). opts: top (per side,
-- 15), width, title.
function M.keyness(x, opts)
  opts = opts or {}
  local by = opts.by or (x.info and x.info.by) or "g2"
  local top = opts.top or 15
  local pos, neg = {}, {}
  for _, row in ipairs(x) do
    local v = tonumber(row[by]) or 0
    if row.key == "+" and #pos < top then pos[#pos + 1] = { label = row.word, value = math.abs(v) }
    elseif row.key == "-" and #neg < top then neg[#neg + 1] = { label = row.word, value = math.abs(v) } end
  end
  local W, bar, gap = opts.width or 720, 16, 5
  local title = opts.title or ("Keywords by " .. by)
  local max = 0
  for _, it in ipairs(pos) do max = math.max(max, it.value) end
  for _, it in ipairs(neg) do max = math.max(max, it.value) end
  local mid = W / 2
  local half = W / 2 - 20
  local head = 58
  -- positive keywords first, then negative ones, each on a row of its own:
  -- a bar on one side of the middle line, its word on the other
  local H = head + (#pos + #neg) * (bar + gap) + (#neg > 0 and #pos > 0 and gap or 0) + 12
  local c = svg(W, H, title)
  c.text(10, 22, title, 'font-weight="bold" font-size="14"')
  c.text(mid + 8, 44, "commoner in the target", 'fill="#1f4e99"')
  c.text(mid - 8, 44, "rarer in the target", 'text-anchor="end" fill="#a33"')
  local y = head
  local function side(list, sign, colour)
    for _, it in ipairs(list) do
      local bw = max > 0 and half * 0.7 * it.value / max or 0
      local x = sign > 0 and mid or mid - bw
      c.add('<rect x="%s" y="%s" width="%s" height="%d" fill="%s"><title>%s: %s %s</title></rect>',
            num(x), num(y), num(bw), bar, colour, esc(it.label), by, esc(string.format("%.2f", it.value)))
      c.text(sign > 0 and mid - 6 or mid + 6, y + bar / 2 + 4, fit(it.label, half - 16),
             sign > 0 and 'text-anchor="end"' or 'text-anchor="start"')
      local vx = sign > 0 and mid + bw + 4 or mid - bw - 4
      c.text(vx, y + bar / 2 + 4, string.format("%.1f", it.value),
             (sign > 0 and 'text-anchor="start"' or 'text-anchor="end"') .. ' fill="#555" font-size="10"')
      y = y + bar + gap
    end
  end
  side(pos, 1, "#4a78c2")
  if #pos > 0 then y = y + gap end
  side(neg, -1, "#d77")
  c.add('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#333"/>', num(mid), head - 4, num(mid), H - 8)
  return c.done()
end

-- ===================================================================
-- The terminal strip
-- ===================================================================

local BLOCKS = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" }

-- plot.strip(x [, opts]) -> a line of opts.width (60) cells: how many hits
-- fall in each stretch of the text, a space where none does and ▁ to █ by
-- how many. x: a lexis.Concordance (its documents one after another) or a
-- list of positions between 0 and 1.
function M.strip(x, opts)
  opts = opts or {}
  local w = opts.width or 60
  local positions = x
  if is_conc(x) then
    positions = {}
    local rows = M.dispersion_rows(x, { sizes = opts.sizes })
    local total = 0
    for _, r in ipairs(rows) do total = total + r.size end
    local base = 0
    for _, r in ipairs(rows) do
      for _, at in ipairs(r.hits) do positions[#positions + 1] = (base + at) / math.max(total, 1) end
      base = base + r.size
    end
  end
  local bins = {}
  for i = 1, w do bins[i] = 0 end
  local max = 0
  for _, p in ipairs(positions) do
    local i = math.min(w, math.floor(math.max(p, 0) * w) + 1)
    bins[i] = bins[i] + 1
    max = math.max(max, bins[i])
  end
  local out = {}
  for i = 1, w do
    out[i] = bins[i] == 0 and " " or BLOCKS[math.max(1, math.ceil(bins[i] / max * #BLOCKS))]
  end
  return table.concat(out)
end

-- plot.save(svg, path) -> true | nil, message, errno: whole or not at all.
function M.save(text, path)
  local f, err, code = core.atomic_open(path)
  if not f then return nil, err, code end
  f:write(text)
  return f:commit()
end

M.plot = M
return M
