-- One self-contained HTML page about a corpus: overview, word list, n-grams,
-- keywords against a reference, dispersion plots, and a concordance.
--
-- Usage: lexis scripts/report.lua CORPUS... [--ref REF...] [--word W] [-o report.html]
--
-- The page fetches nothing: CSS, the SVG plots and the small script that
-- sorts the tables (click a column's name) are all inside it.

local lexis = require "lexis"
local report = require "lexis.report"
local plot = require "lexis.plot"
local progress = require "lexis.progress"

local parser = require("argparse")("lexis scripts/report.lua", "Write an HTML report of a corpus.")
parser:argument("corpus", "Files or directories of the corpus."):args("+")
parser:option("--ref", "Reference corpus for keywords."):args("+")
parser:option("--word", "The word of the concordance (default: the commonest content word).")
parser:option("-o --output", "The page to write.", "report.html")
parser:option("--top", "Rows in the word list.", "100", tonumber)
local ok, args = parser:pparse({ ... })
if not ok then
  io.stderr:write(parser:get_usage(), "\nerror: ", args, "\n")
  os.exit(2)
end

local files = require("lexis.kwic").expand(args.corpus)   -- directories and globs too
if #files == 0 then
  io.stderr:write("lexis scripts/report.lua: no files in ", table.concat(args.corpus, " "), "\n")
  os.exit(2)
end
local WORDS = { lower = true }                 -- how every count below sees words

-- Each step below reads the corpus once; the progress line (on a terminal,
-- after a second) counts the bytes of all the passes.
local passes = #files > 1 and 8 or 7
local meter <close> = progress.files(files, "report")
local size = meter.total
meter.total = size * passes
local function pass() meter:add(size) end

local function esc(s) return report.escape_html(s) end
local function base(path) return path:match("([^/]+)$") or path end

-- ------------------------------------------------------------ the numbers
-- The overview: one row per document and, for several, one for them all.
local all_counts = assert(lexis.count(files, WORDS))
pass()
local overview = { columns = { "document", "tokens", "types", "sentences", "mean_sentence" } }
local all_sentences = 0
for _, path in ipairs(files) do
  local counts = #files == 1 and all_counts or assert(lexis.count({ path }, WORDS))
  local n = 0
  for _ in lexis.file_sentences(path) do n = n + 1 end
  all_sentences = all_sentences + n
  overview[#overview + 1] = { document = base(path), tokens = counts:total(), types = #counts,
                              sentences = n, mean_sentence = n > 0 and counts:total() / n or 0 }
end
if #files > 1 then
  overview[#overview + 1] = { document = "all " .. #files .. " documents", tokens = all_counts:total(),
                              types = #all_counts, sentences = all_sentences,
                              mean_sentence = all_sentences > 0 and all_counts:total() / all_sentences or 0 }
  pass()
end
pass()

local wordlist = assert(lexis.wordlist(files, { lower = true, top = args.top }))
pass()

-- The commonest content words, from the counts already made: stop words
-- are dropped here rather than counted again without them.
local stop = require("lexis.tokenize").stoplist("en")
local content = { columns = { "word", "count" } }
for _, e in ipairs(all_counts:top(200)) do
  if #content < 20 and not stop[e.word] then content[#content + 1] = e end
end

local bigrams = assert(lexis.ngrams(files, { n = 2, top = 25, lower = true }))
pass()
local trigrams = assert(lexis.ngrams(files, { n = 3, top = 25, lower = true }))
pass()

-- The target is the counts made above (a lexis.Counts): only the
-- reference is read.
local keywords = args.ref and assert(lexis.keywords(all_counts, args.ref, { lower = true, top = 25 }))

-- Dispersion of the five commonest content words: a bar per word and
-- document. One pass finds them all: a regular expression of the words
-- (matched against whole tokens, case folded), the hits sorted out after.
local top5, wanted = {}, {}
for i = 1, math.min(5, #content) do
  top5[i] = content[i].word
  wanted[i] = content[i].word:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?|{}\\/]", "\\%0")
end
local rows = {}
if #top5 > 0 then
  local by = {}                        -- word -> document -> { hits = { byte offsets } }
  for _, word in ipairs(top5) do by[word] = {} end
  for _, hit in assert(lexis.kwic(files, "/" .. table.concat(wanted, "|") .. "/")):hits() do
    local node = hit.node
    -- string.lower is enough for ASCII; other words as the counts folded them
    local word = node:find("[\128-\255]") and lexis.words(node, WORDS)[1] or node:lower()
    local docs = by[word]
    if docs then
      docs[hit.doc] = docs[hit.doc] or { hits = {} }
      table.insert(docs[hit.doc].hits, hit.start - 1)
    end
  end
  for _, word in ipairs(top5) do
    for _, path in ipairs(files) do
      local r = by[word][path] or { hits = {} }
      r.label = #files > 1 and (word .. " · " .. base(path)) or word
      r.size = progress.size(path)
      rows[#rows + 1] = r
    end
  end
end
pass()

local node = args.word or top5[1]
local conc = node and assert(lexis.kwic(files, node, { sort = "R1", limit = 200 }))
pass()
meter:finish()

-- ------------------------------------------------------------ the page
local CSS = [[
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table.lexis { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
table.lexis caption { text-align: left; font-weight: bold; padding: .3em 0; }
table.lexis th, table.lexis td { padding: .2em .6em; border-bottom: 1px solid #e4e4e4; }
table.lexis th { background: #f3f3f3; text-align: left; cursor: pointer; user-select: none; }
table.lexis th[aria-sort=ascending]::after { content: " ▲"; } table.lexis th[aria-sort=descending]::after { content: " ▼"; }
table.lexis .num { text-align: right; font-variant-numeric: tabular-nums; }
td.left { text-align: right; }
table.kwic td:nth-child(3) { font-weight: bold; color: #1f4e99; text-align: center; }
.scroll { max-height: 30em; overflow: auto; display: inline-block; }
.cols { display: flex; flex-wrap: wrap; gap: 2em; }
svg.lexis-plot { max-width: 100%; height: auto; display: block; margin: 1em 0; }
#lexis-errors { color: #a00; white-space: pre-wrap; }
.note { color: #666; font-size: 13px; }
]]

-- Recording script errors in the page lets a test (or a reader) see them.
local CATCH = [[
window.lexisErrors = [];
window.addEventListener("error", function (e) {
  window.lexisErrors.push(String(e.message));
  var out = document.getElementById("lexis-errors");
  if (out) { out.textContent = window.lexisErrors.join("\n"); out.hidden = false; }
});
]]

-- Click a column's name to sort by it; again to reverse. Numbers sort by
-- the exact value the table keeps in data-v.
local SORT = [[
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.toLowerCase() : parseFloat(v);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.title = "Sort by " + th.textContent;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
  // #selftest (used by tests/browser_spec.lua): sort every table by each
  // numeric column both ways and check the order the rows come in
  if (location.hash === "#selftest") {
    var bad = [];
    document.querySelectorAll("table.sortable").forEach(function (table, t) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        if (!th.classList.contains("num")) return;
        [1, -1].forEach(function (dir) {
          th.click();
          var keys = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return key(r.cells[col]); });
          for (var i = 1; i < keys.length; i++)
            if ((keys[i] - keys[i - 1]) * dir < 0) { bad.push("table " + t + " column " + col); break; }
        });
      });
    });
    document.body.setAttribute("data-selftest", bad.length ? bad.join(", ") : "ok");
  }
  document.body.setAttribute("data-ready", "1");
})();
]]

local page = {}
local function emit(...) for _, s in ipairs({ ... }) do page[#page + 1] = s end end
local function table_of(x, opts)
  opts = opts or {}
  opts.class = "lexis sortable " .. (opts.class or "")
  emit('<div class="scroll">', report.format(x, "html", opts), "</div>\n")
end

local names = {}
for i, path in ipairs(files) do names[i] = base(path) end
local title = "lexis report: " .. (#files == 1 and names[1] or #files .. " documents")

emit("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n",
     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
     "<title>", esc(title), "</title>\n<style>", CSS, "</style>\n<script>", CATCH, "</script>\n</head><body>\n",
     "<h1>", esc(title), "</h1>\n",
     '<p class="note">Made by lexis ', esc(lexis.version), " on ", os.date("!%Y-%m-%d %H:%M UTC"),
     ". Words are lower-cased; tokens are words and numbers. Click a column's name to sort.</p>\n",
     '<pre id="lexis-errors" hidden></pre>\n')

emit('<h2 id="overview">Overview</h2>\n')
table_of(overview, { title = false })

emit('<h2 id="words">Word list</h2>\n<div class="cols">\n')
table_of(wordlist, { title = string.format("The %d commonest words, with range and dispersion", #wordlist) })
emit("<div>", plot.bars(content, { title = "Commonest words (stop words left out)", width = 520 }),
     plot.zipf(all_counts, { title = "Rank and frequency (log-log)", width = 520, height = 360 }), "</div>\n</div>\n")

emit('<h2 id="ngrams">N-grams</h2>\n<div class="cols">\n')
table_of(bigrams, { columns = { "rank", "ngram", "count", "range" }, title = "Top bigrams" })
table_of(trigrams, { columns = { "rank", "ngram", "count", "range" }, title = "Top trigrams" })
emit("</div>\n")

if keywords then
  emit('<h2 id="keywords">Keywords</h2>\n<p class="note">Against ', esc(table.concat(args.ref, ", ")),
       "; by log-likelihood (G2), positive keywords first.</p>\n")
  emit(plot.keyness(keywords, { top = 15 }))
  table_of(keywords, { columns = { "rank", "word", "key", "freq", "freq_ref", "g2", "p_g2", "log_ratio" },
                       title = "Keywords" })
end

emit('<h2 id="dispersion">Dispersion</h2>\n')
emit(plot.dispersion(rows, { title = "Where the commonest content words occur" }))

if conc then
  emit('<h2 id="kwic">Concordance of “', esc(node), "”</h2>\n")
  emit(plot.dispersion(conc, { title = "Dispersion of " .. node }))
  local hits = report.records(conc)
  for _, hit in ipairs(hits.rows) do hit.doc = base(hit.doc) end
  hits.rows.columns = hits.columns
  table_of(hits.rows, { columns = { "doc", "left", "node", "right" }, class = "kwic",
                        title = string.format("%d hits, sorted by the next word", #conc) })
end

emit("<script>", SORT, "</script>\n</body></html>\n")

-- Written whole or not at all: an error leaves no half page behind.
local f, err = lexis.atomic_open(args.output)
if not f then
  io.stderr:write("lexis scripts/report.lua: ", err, "\n")
  os.exit(1)
end
f:write(table.concat(page))
assert(f:commit())
print("wrote " .. args.output)
