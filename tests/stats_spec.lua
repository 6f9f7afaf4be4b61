-- The measures of src/stats.c against contingency tables worked out by hand
-- (tests/data/stats/tables.lua shows the arithmetic), and the promise that
-- no input gives NaN or an infinity.

local core = require "lexis.core"
local T = dofile("tests/data/stats/tables.lua")

local function close(expected, got, what)
  local ok = math.abs(got - expected) <= T.tol * math.max(1, math.abs(expected))
  assert(ok, string.format("%s: expected %.10g, got %.10g", what, expected, got))
end

-- Checks every field of `case` that `result` has too.
local function check(case, result, label)
  for k, v in pairs(case) do
    if result[k] ~= nil then close(v, result[k], label .. " " .. k) end
  end
end

local function finite(x)
  return x == x and x ~= math.huge and x ~= -math.huge
end

describe("stats measures", function()
  it("keyness figures match the hand-worked tables", function()
    for i, c in ipairs(T.keyness) do
      check(c, core.keyness(c.a, c.n1, c.b, c.n2, c.smooth), "keyness case " .. i)
    end
  end)

  it("association measures match the hand-worked tables", function()
    for i, c in ipairs(T.assoc) do
      check(c, core.assoc(c.o11, c.r1, c.fx, c.fy, c.n), "assoc case " .. i)
    end
  end)

  it("dispersion matches the hand-worked tables", function()
    for i, c in ipairs(T.dispersion) do
      local r = core.dispersion(c.f, c.size)
      check({ d = c.d, dp = c.dp, dp_norm = c.dp_norm }, r, "dispersion case " .. i)
      assert.equal(c.range, r.range)
    end
  end)

  it("never gives NaN or an infinity, whatever the counts", function()
    local values = { 0, 1, 2, 1e6, 1e15 }
    for _, a in ipairs(values) do
      for _, n1 in ipairs(values) do
        for _, b in ipairs(values) do
          for _, n2 in ipairs(values) do
            for k, v in pairs(core.keyness(a, n1, b, n2)) do
              assert(finite(v), string.format("keyness(%g,%g,%g,%g).%s = %s", a, n1, b, n2, k, v))
            end
            for k, v in pairs(core.assoc(a, n1, b, n2, a + b)) do
              assert(finite(v), string.format("assoc(%g,%g,%g,%g).%s = %s", a, n1, b, n2, k, v))
            end
          end
        end
      end
    end
    for k, v in pairs(core.dispersion({ 0, 5, 0 }, { 0, 0, 10 })) do
      assert(finite(v), "dispersion " .. k)
    end
  end)

  it("gives p-values from the chi-square distribution with one degree of freedom", function()
    -- 3.841459 is the 5% critical value, 6.634897 the 1%, 10.827566 the 0.1%.
    close(0.05, core.p_chi2(3.841459), "p(3.84)")
    close(0.01, core.p_chi2(6.634897), "p(6.63)")
    close(0.001, core.p_chi2(10.827566), "p(10.83)")
    assert.equal(1, core.p_chi2(0))
    assert.equal(1, core.p_chi2(-1))
  end)

  it("rejects negative counts", function()
    assert.has_error(function() core.keyness(-1, 10, 1, 10) end)
    assert.has_error(function() core.assoc(1, -10, 1, 10, 100) end)
    assert.has_error(function() core.dispersion({ 1, 2 }, { 1 }) end)
  end)
end)
