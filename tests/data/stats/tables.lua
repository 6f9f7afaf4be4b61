-- Contingency tables worked out by hand (calculator, six significant
-- figures), the expected values for tests/stats_spec.lua. Each case shows
-- its arithmetic; `tol` is relative.
return {
  tol = 1e-4,

  -- Keyness: a word 10 times in a target of 1,000 tokens, 5 times in a
  -- reference of 10,000 (a = 10, n1 = 1000, b = 5, n2 = 10000).
  --   N = 11000, C1 = a + b = 15, C2 = 10985, R1 = 1000, R2 = 10000
  --   E11 = 1000*15/11000 = 1.363636     E12 = 1000*10985/11000 = 998.636364
  --   E21 = 10000*15/11000 = 13.636364   E22 = 10000*10985/11000 = 9986.363636
  --   G2 = 2 [ 10 ln(10/1.363636)      =  10 * 1.992430   =  19.924302
  --          + 990 ln(990/998.636364)  = 990 * -0.0086857 =  -8.598864
  --          + 5 ln(5/13.636364)       =   5 * -1.003302  =  -5.016508
  --          + 9995 ln(9995/9986.363636) = 9995 * 0.00086442 = 8.639847 ]
  --      = 2 * 14.948777 = 29.897554     p = erfc(sqrt(29.8976/2)) = 4.554e-8
  --   chi2 (Yates): every |O - E| = 8.636364; (8.636364 - 0.5)^2 = 66.200419
  --      * (1/1.363636 + 1/998.636364 + 1/13.636364 + 1/9986.363636)
  --      = 66.200419 * 0.807768 = 53.474571     p = erfc(sqrt(53.4746/2)) = 2.62e-13
  --   log ratio = log2((10/1000) / (5/10000)) = log2(20) = 4.321928
  --   fpm: 10 / 1000 * 1e6 = 10000; 5 / 10000 * 1e6 = 500
  --   %DIFF = 100 * (10000 - 500) / 500 = 1900
  --   simple maths (N = 1) = 10001 / 501 = 19.962076; (N = 100) = 10100 / 600 = 16.833333
  --   Williams's q (quanteda's form; no cell is 0):
  --     q = 1 + (N/R1 + N/R2 - 1) (N/C1 + N/C2 - 1) / (6N)
  --       = 1 + (11 + 1.1 - 1) (733.333333 + 1.001366 - 1) / 66000
  --       = 1 + 11.1 * 733.334699 / 66000 = 1.123334
  --     g2_williams = 29.897954 / 1.123334 = 26.615384
  --   BIC = G2 - ln N = 29.897954 - ln 11000 = 29.897954 - 9.305651 = 20.592303
  --   Fisher, one-sided: P(X >= 10), X hypergeometric (15 of 11000 drawn
  --     into a sample of 1000) = sum over k = 10..15 of
  --     C(15, k) C(10985, 1000 - k) / C(11000, 1000) = 7.253158e-8 (the six
  --     terms summed in exact integers)
  keyness = {
    { a = 10, n1 = 1000, b = 5, n2 = 10000,
      g2 = 29.8976, p_g2 = 4.554e-8, chi2 = 53.4746, p_chi2 = 2.6196e-13,
      log_ratio = 4.321928, pdiff = 1900, simple = 19.962076, fpm1 = 10000, fpm2 = 500,
      g2_williams = 26.615384, bic = 20.592303, fisher = 7.253158e-8 },
    { a = 10, n1 = 1000, b = 5, n2 = 10000, smooth = 100, simple = 16.833333 },
    -- The same table seen from the other side: the signs turn, p stays.
    --   log ratio = log2((5/10000) / (10/1000)) = -4.321928
    --   %DIFF = 100 * (500 - 10000) / 10000 = -95
    --   g2_williams and BIC turn sign too; Fisher's p is now the other tail:
    --   P(X >= 5) = 1 - P(X <= 4) = 1 - 3.225298e-9 (P(X <= 4) by exact sum)
    { a = 5, n1 = 10000, b = 10, n2 = 1000,
      g2 = -29.8976, p_g2 = 4.554e-8, chi2 = -53.4746, log_ratio = -4.321928, pdiff = -95,
      simple = 501 / 10001, g2_williams = -26.615384, bic = -20.592303,
      fisher = 0.9999999967747 },
    -- Absent from the reference (b = 0): a = 20, n1 = 10000, n2 = 10000.
    --   N = 20000, C1 = 20; E11 = E21 = 10; E12 = E22 = 9990
    --   G2 = 2 [20 ln 2 + 9980 ln(9980/9990) + 0 + 10000 ln(10000/9990)]
    --      = 2 [13.862944 - 9.985014 + 0 + 10.005003] = 2 * 13.882933 = 27.765866
    --   chi2 (Yates): |O - E| = 10 everywhere; 9.5^2 = 90.25
    --      * (1/10 + 1/9990 + 1/10 + 1/9990) = 90.25 * 0.2002002 = 18.068068
    --   log ratio, zero taken as 1/2: log2((20/10000) / (0.5/10000)) = log2(40) = 5.321928
    --   %DIFF, zero taken as 1/2: NF1 = 2000, NF2 = 50: 100 * 1950 / 50 = 3900
    --   simple maths = (2000 + 1) / (0 + 1) = 2001
    --   g2_williams: a cell is 0, so q = 1 (quanteda's rule): = g2
    --   BIC = 27.745907 - ln 20000 = 27.745907 - 9.903488 = 17.842419
    --   Fisher: every one of the 20 is in the target: P(X >= 20) = P(X = 20)
    --     = C(10000, 20) / C(20000, 20) = prod over i = 0..19 of (10000 - i) / (20000 - i)
    --     = 9.446485e-7
    { a = 20, n1 = 10000, b = 0, n2 = 10000,
      g2 = 27.745954, chi2 = 18.068068, log_ratio = 5.321928, pdiff = 3900, simple = 2001,
      g2_williams = 27.745907, bic = 17.842419, fisher = 9.446485e-7 },
    -- Absent from both, and empty corpora: every figure 0, p = 1, simple maths 1.
    -- BIC of a word absent from both: 0 - ln 2000 = -7.600902 (evidence for
    -- no difference); of an empty table 0 (ln 0 taken as 0). Fisher: p = 1.
    { a = 0, n1 = 1000, b = 0, n2 = 1000,
      g2 = 0, p_g2 = 1, chi2 = 0, p_chi2 = 1, log_ratio = 0, pdiff = 0, simple = 1,
      g2_williams = 0, bic = -7.600902, fisher = 1 },
    { a = 0, n1 = 0, b = 0, n2 = 0,
      g2 = 0, p_g2 = 1, chi2 = 0, log_ratio = 0, pdiff = 0, simple = 1, fpm1 = 0, fpm2 = 0,
      g2_williams = 0, bic = 0, fisher = 1 },
  },

  -- Collocation: the collocate 8 times in the node's windows, which hold
  -- 400 tokens in all (r1); node frequency 40 (fx), collocate frequency 100
  -- (fy), corpus 100,000 tokens (n).
  --   O11 = 8, O12 = 392, O21 = 92, O22 = 99508
  --   E11 = 400*100/100000 = 0.4     E12 = 400*99900/100000 = 399.6
  --   E21 = 99600*100/100000 = 99.6  E22 = 99600*99900/100000 = 99500.4
  --   MI  = log2(8/0.4) = log2(20) = 4.321928
  --   MI3 = log2(8^3/0.4) = log2(1280) = 10.321928
  --   t   = (8 - 0.4)/sqrt(8) = 7.6/2.828427 = 2.687006
  --   z   = (8 - 0.4)/sqrt(0.4) = 7.6/0.632456 = 12.016655
  --   Dice = 2*8/(40 + 100) = 0.114286;  logDice = 14 + log2(0.114286) = 10.870717
  --   log ratio = log2((8/400) / (92/99600)) = log2(21.652174) = 4.436467
  --   G2 = 2 [ 8 ln 20 = 23.965858  + 392 ln(392/399.6) = -7.527302
  --          + 92 ln(92/99.6) = -7.302358  + 99508 ln(99508/99500.4) = 7.600290 ]
  --      = 2 * 16.736488 = 33.472976
  --   Delta P     = O11/R1 - O21/R2 = 8/400 - 92/99600 = 0.02 - 0.000924 = 0.019076
  --   Delta P rev = O11/C1 - O12/C2 = 8/100 - 392/99900 = 0.08 - 0.003924 = 0.076076
  --   MI2 = log2(8^2/0.4) = log2(160) = 7.321928
  --   MS  = min(8/400, 8/100) = 0.02
  --   Poisson-Stirling = 8 (ln 8 - ln 0.4 - 1) = 8 (ln 20 - 1) = 8 * 1.995732 = 15.965858
  --   Jaccard = 8 / (8 + 392 + 92) = 8/492 = 0.016260
  --   Fisher = P(X >= 8) = sum over k = 8..100 of C(100, k) C(99900, 400 - k) / C(100000, 400)
  --          = 8.250446e-9 (exact integer sum)
  assoc = {
    { o11 = 8, r1 = 400, fx = 40, fy = 100, n = 100000,
      observed = 8, expected = 0.4, mi = 4.321928, mi3 = 10.321928, t = 2.687006,
      z = 12.016655, dice = 0.114286, logdice = 10.870717, log_ratio = 4.436467,
      g2 = 33.472976, delta_p = 0.019076305, delta_p_rev = 0.076076076, mi2 = 7.321928,
      ms = 0.02, poisson_stirling = 15.965858, jaccard = 0.016260163, fisher = 8.250446e-9 },
    -- Never seen with the node (o11 = 0): E11 = 0.4 as above.
    --   MI  = log2(0.5/0.4) = 0.321928 (zero taken as 1/2)
    --   MI3 = log2(0.125/0.4) = -1.678072
    --   t   = -sqrt(0.4) = -0.632456;  z = -0.4/0.632456 = -0.632456
    --   Dice = 0;  logDice = 14 + log2(2*0.5/140) = 14 - 7.129283 = 6.870717
    --   Delta P = 0 - 100/99600 = -0.001004; Delta P rev = 0 - 400/99900 = -0.004004
    --   MI2 = log2(0.25/0.4) = -0.678072; MS, Poisson-Stirling, Jaccard 0; Fisher P(X >= 0) = 1
    { o11 = 0, r1 = 400, fx = 40, fy = 100, n = 100000,
      expected = 0.4, mi = 0.321928, mi3 = -1.678072, t = -0.632456, z = -0.632456,
      dice = 0, logdice = 6.870717, delta_p = -0.001004016, delta_p_rev = -0.004004004,
      mi2 = -0.678072, ms = 0, poisson_stirling = 0, jaccard = 0, fisher = 1 },
    -- An empty corpus: everything 0, p = 1.
    { o11 = 0, r1 = 0, fx = 0, fy = 0, n = 0,
      observed = 0, expected = 0, mi = 0, mi3 = 0, t = 0, z = 0, g2 = 0, p = 1,
      dice = 0, logdice = 0, log_ratio = 0, chi2 = 0, delta_p = 0, delta_p_rev = 0,
      mi2 = 0, ms = 0, poisson_stirling = 0, jaccard = 0, fisher = 1 },
  },

  -- Fisher's exact test, published one-sided p-values (as tables
  -- o11, o12, o21, o22; p = P(X >= o11)):
  --   Fisher's lady tasting tea (Agresti 2002, §3.5.2; R's fisher.test
  --   example with alternative = "greater"): 3 1 / 1 3: p = 17/70 = 0.2429
  --   R's fisher.test example "Convictions" of twins (Fisher 1935): 2 15 /
  --   10 3 (dizygotic, monozygotic; convicted, not) with alternative = "less":
  --   p = 0.0004652; here with its columns swapped, 15 2 / 3 10, the same
  --   tail to the right.
  fisher = {
    { 3, 1, 1, 3, p = 17 / 70 },
    { 15, 2, 3, 10, p = 0.0004652 },
  },

  -- Dispersion. Three equal parts of 10 tokens, the word 1, 2, 3 times:
  --   relative frequencies .1 .2 .3, mean .2, population sd = sqrt(.02/3) = 0.081650
  --   D = 1 - (0.081650/.2)/sqrt(2) = 1 - 0.288675 = 0.711325
  --   DP = (|1/6 - 1/3| + |2/6 - 1/3| + |3/6 - 1/3|) / 2 = (1/3)/2 = 0.166667
  --   DPnorm = DP / (1 - 1/3) = 0.25
  -- Gries (2008)'s example: parts of 9, 10, 10, 10, 11 tokens (n = 50),
  -- the word 1, 2, 3, 4, 5 times (f = 15):
  --   DP = (|1/15 - 9/50| + |2/15 - 10/50| + |3/15 - 10/50| + |4/15 - 10/50|
  --        + |5/15 - 11/50|) / 2
  --      = (0.113333 + 0.066667 + 0 + 0.066667 + 0.113333) / 2 = 0.18
  --   relative frequencies .111111 .2 .3 .4 .454545: mean .293131,
  --   squares' mean = (.012346 + .04 + .09 + .16 + .206612)/5 = 0.101792,
  --   var = 0.101792 - 0.085926 = 0.015866, sd = 0.125960
  --   D = 1 - (0.125960/0.293131)/2 = 1 - 0.214853 = 0.785147
  --   DPnorm = 0.18 / (1 - 9/50) = 0.219512
  dispersion = {
    { f = { 1, 2, 3 }, size = { 10, 10, 10 }, d = 0.711325, dp = 1 / 6, dp_norm = 0.25, range = 3 },
    { f = { 1, 2, 3, 4, 5 }, size = { 9, 10, 10, 10, 11 }, d = 0.785147, dp = 0.18,
      dp_norm = 0.219512, range = 5 },
    -- Evenly spread: D = 1, DP = 0.
    { f = { 2, 2, 2, 2 }, size = { 5, 5, 5, 5 }, d = 1, dp = 0, dp_norm = 0, range = 4 },
    -- All in one part of four equal ones: v = (1, 0, 0, 0)/part,
    --   sd/mean = sqrt(3), D = 1 - sqrt(3)/sqrt(3) = 0; DP = (3/4 + 3 * 1/4)/2 = 0.75; DPnorm = 1
    { f = { 4, 0, 0, 0 }, size = { 5, 5, 5, 5 }, d = 0, dp = 0.75, dp_norm = 1, range = 1 },
    -- Never occurs: D = 0, DP = 1 (the convention of docs/stats.md); one part: D = 1, DP = 0.
    { f = { 0, 0 }, size = { 5, 5 }, d = 0, dp = 1, dp_norm = 1, range = 0 },
    { f = { 3 }, size = { 5 }, d = 1, dp = 0, dp_norm = 0, range = 1 },
    { f = {}, size = {}, d = 0, dp = 1, dp_norm = 1, range = 0 },
  },
}
