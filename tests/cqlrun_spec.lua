-- The CQL evaluator (src/cqlrun.c, src/cqlrun_walk.c) over the in-memory
-- view of a .vrt file (src/cqlmem.c), compared hit for hit with cqp: the
-- expected rows in tests/data/cql/expected/ come from CWB 3.4.33's cqp on
-- the same files (tests/tools/cql-expected.sh regenerates them).

local core = require "lexis.core"

local D = "tests/data/cql/"
-- the declarations cwb-encode gets in tests/tools/cql-expected.sh
local DECL = { p = { "lemma", "pos" }, s = { "text:0+id+year", "p:0", "s:1" } }

-- { {query=, hits=n|"error", rows={"m\te\tt", ...}}, ... }
local function expected(name)
  local out, cur = {}, nil
  for line in io.lines(D .. "expected/" .. name .. ".tsv") do
    local q, n = line:match("^Q\t(.*)\t([^\t]*)$")
    if q then
      cur = { query = q, hits = tonumber(n) or n, rows = {} }
      out[#out + 1] = cur
    else
      cur.rows[#cur.rows + 1] = line
    end
  end
  return out
end

local function rows_of(result, with_target)
  local rows = {}
  for _, h in ipairs(result:hits()) do
    rows[#rows + 1] = string.format("%d\t%d\t%d", h.start, h["end"] - 1, with_target and (h.target or -1) or -1)
  end
  return rows
end

for _, name in ipairs { "small", "nested", "synth" } do
  local f = io.open(D .. name .. ".vrt")
  if f then
    f:close()
    describe("cql " .. name .. ".vrt against cqp", function()
      local view = assert(core.cql_view(D .. name .. ".vrt", DECL))
      teardown(function() view:close() end)
      for _, case in ipairs(expected(name)) do
        it(case.query, function()
          local r, err = core.cql_run(view, case.query)
          if case.hits == "error" then
            assert.is_nil(r, "cqp refuses this query; lexis gave hits")
            assert.is_string(err)
          else
            assert(r, err)
            assert.same(case.rows, rows_of(r, case.query:find("@", 1, true)))
          end
        end)
      end
    end)
  end
end
