#!/usr/bin/python3
"""Independent reference values for lexis's dispersion measures.

Written from the published formulas (docs/stats.md names each source), in
plain Python with no code shared with src/stats.c: every sum is taken over
all k parts, D_A over all k(k-1)/2 pairs, ARF and ALDF from the list of
positions. It writes

  tests/data/stats/dispersion_ref.lua   measures of frequency vectors and
                                        of position lists
  tests/data/stats/dispersion_text/     a small corpus of 4 documents, and
  tests/data/stats/dispersion_text.lua  every word's measures over it, by
                                        document and by 3 equal parts

Run from the repository root:  /usr/bin/python3 tests/tools/dispersion_ref.py
tests/dispersion_spec.lua compares lexis with the files it wrote.
"""
import math
import os
import random


def measures(f, size):
    """Every parts-based measure of frequencies f over parts of sizes size."""
    k = len(f)
    ftot = float(sum(f))
    n = float(sum(size))
    out = {"range": sum(1 for x in f if x > 0)}
    if ftot == 0 or n == 0:
        out.update(d=0.0, dp=1.0, dp_norm=1.0, u=0.0, d2=0.0, s=0.0, af=0.0,
                   kld=0.0, dkl=1.0, da=0.0)
        return out
    # the parts that have tokens carry rates
    rates = [fi / si for fi, si in zip(f, size) if si > 0]
    kk = len(rates)
    # Gries 2008: DP = 1/2 sum |f_i/f - s_i/n|; Lijffijt & Gries 2012: DPnorm
    dp = sum(abs(fi / ftot - si / n) for fi, si in zip(f, size)) / 2
    smin = min(si / n for si in size)
    dp_norm = min(1.0, dp / (1 - smin)) if smin < 1 else 0.0
    if k < 2:
        dp, dp_norm = 0.0, 0.0
    # Rosengren 1971 as Gries 2008 gives it: AF = (sum sqrt(w_i f_i))^2, S = AF / f
    af = sum(math.sqrt((si / n) * fi) for fi, si in zip(f, size)) ** 2
    # Gries 2020/2021: KLD in bits of t_i = f_i/f from w_i = s_i/n; 1 - e^-KLD
    kld = 0.0
    for fi, si in zip(f, size):
        if fi > 0 and si > 0:
            t = fi / ftot
            kld += t * math.log(t / (si / n), 2)
    kld = max(kld, 0.0)
    if kk >= 2:
        mean = sum(rates) / kk
        sd = math.sqrt(sum((r - mean) ** 2 for r in rates) / kk)
        d = 1 - (sd / mean) / math.sqrt(kk - 1)
        total = sum(rates)
        h = -sum((r / total) * math.log(r / total, 2) for r in rates if r > 0)
        d2 = h / math.log(kk, 2)
        # Burch, Egbert & Biber 2017 (the form of Egbert et al. 2020):
        # 1 - mean |R_i - R_j| over all pairs / (2 mean R)
        pairs = [abs(rates[i] - rates[j]) for i in range(kk) for j in range(i + 1, kk)]
        da = 1 - (sum(pairs) / len(pairs)) / (2 * mean)
    else:
        d, d2, da = 1.0, 1.0, 1.0
    d = min(1.0, max(0.0, d))
    out.update(d=d, dp=dp, dp_norm=dp_norm, u=d * ftot, d2=min(1.0, max(0.0, d2)),
               s=af / ftot, af=af, kld=kld, dkl=1 - math.exp(-kld),
               da=min(1.0, max(0.0, da)))
    return out


def distances(pos, n):
    """Savicky & Hlavacova 2002: ARF and ALDF of ascending positions in a
    text of n tokens read as a circle."""
    f = len(pos)
    if f == 0:
        return {"arf": 0.0, "aldf": 0.0}
    gaps = [pos[i + 1] - pos[i] for i in range(f - 1)] + [pos[0] + n - pos[-1]]
    assert sum(gaps) == n
    v = n / f
    arf = sum(min(d, v) for d in gaps) / v
    ald = sum((d / n) * math.log10(d) for d in gaps)
    return {"arf": arf, "aldf": n / 10 ** ald}


def lua_value(x):
    if isinstance(x, str):
        return '"%s"' % x
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return repr(x) if x == x else "0/0"
    if isinstance(x, list):
        return "{ " + ", ".join(lua_value(y) for y in x) + " }"
    if isinstance(x, dict):
        return "{ " + ", ".join("%s = %s" % (k, lua_value(x[k])) for k in sorted(x)) + " }"
    raise TypeError(x)


# Gries 2008's corpus as its page 406 prints it (and Wordless's tests take
# it): 50 words in 5 parts of 10, the word "a" 1, 2, 3, 4, 5 times.
GRIES = ("b a m n i b e u p k | b a s a t b e w q n | b c a g a b e s t a | "
         "b a g h a b e a a t | b a h a a b e a x a")


def vector_cases():
    rng = random.Random(20261207)
    cases = [
        ([1, 2, 3, 4, 5], [10, 10, 10, 10, 10]),
        ([1, 2, 3, 4, 5], [9, 10, 10, 10, 11]),
        ([2, 1, 1, 1, 0], [10, 10, 10, 10, 10]),
        ([0, 4, 3, 2, 1], [10, 10, 10, 10, 10]),
        ([4, 2, 1, 1, 0], [10, 10, 10, 10, 10]),
        ([2, 2, 2, 2, 1], [10, 10, 10, 10, 10]),
        ([4, 0, 0, 0], [5, 5, 5, 5]),
        ([2, 2, 2, 2], [5, 5, 5, 5]),
        ([0, 0], [5, 5]),
        ([3], [5]),
        ([0, 5, 0], [0, 0, 10]),
        ([1, 0, 7, 0, 0, 2], [100, 50, 400, 20, 80, 300]),
    ]
    for _ in range(12):
        k = rng.randint(2, 40)
        size = [rng.randint(1, 5000) for _ in range(k)]
        f = [rng.randint(0, s // 20) if rng.random() < 0.6 else 0 for s in size]
        if sum(f) == 0:
            f[0] = 1
        cases.append((f, size))
    out = []
    for f, size in cases:
        m = measures(f, size)
        m["f"], m["size"] = f, size
        out.append(m)
    return out


def position_cases():
    rng = random.Random(7)
    words = GRIES.replace("|", "").split()
    cases = [([i + 1 for i, w in enumerate(words) if w == "a"], len(words))]
    cases.append(([5], 100))
    cases.append(([0, 25, 50, 75], 100))
    cases.append(([10, 11, 12, 13], 100))
    for _ in range(8):
        n = rng.randint(10, 3000)
        f = rng.randint(1, min(n, 60))
        cases.append((sorted(rng.sample(range(n), f)), n))
    out = []
    for pos, n in cases:
        m = distances(pos, n)
        m["pos"], m["n"] = pos, n
        out.append(m)
    return out


def corpus():
    """4 documents of made-up words, some spread, some bunched in one place."""
    rng = random.Random(11)
    common = ["the", "of", "and", "to", "in"]
    mid = ["house", "river", "stone", "light", "horse", "bread"]
    docs = []
    for d, length in enumerate([400, 150, 700, 260]):
        words = []
        for i in range(length):
            r = rng.random()
            if r < 0.45:
                words.append(rng.choice(common))
            elif r < 0.8:
                words.append(rng.choice(mid))
            elif d == 2 and 300 <= i < 340:
                words.append("burst")
            else:
                words.append("w%d" % rng.randint(1, 120))
        docs.append(words)
    return docs


def text_cases(docs):
    words = [w for doc in docs for w in doc]
    n = len(words)
    types = sorted(set(words))
    pos = {w: [] for w in types}
    for i, w in enumerate(words):
        pos[w].append(i)
    result = {"tokens": n}
    for name, part_of, k in (("docs", None, len(docs)), ("parts3", 3, 3)):
        if part_of is None:
            sizes = [len(doc) for doc in docs]
            where = [d for d, doc in enumerate(docs) for _ in doc]
        else:
            where = [i * k // n for i in range(n)]
            sizes = [where.count(p) for p in range(k)]
        rows = {}
        for w in types:
            f = [0] * k
            for i in pos[w]:
                f[where[i]] += 1
            m = measures(f, sizes)
            m.update(distances(pos[w], n))
            m["freq"] = len(pos[w])
            rows[w] = m
        result[name] = rows
    return result


def main():
    root = os.path.join("tests", "data", "stats")
    with open(os.path.join(root, "dispersion_ref.lua"), "w") as out:
        out.write("-- Written by tests/tools/dispersion_ref.py (an independent Python\n"
                  "-- implementation of the published formulas); do not edit.\n")
        out.write("return {\n  vectors = {\n")
        for m in vector_cases():
            out.write("    %s,\n" % lua_value(m))
        out.write("  },\n  positions = {\n")
        for m in position_cases():
            out.write("    %s,\n" % lua_value(m))
        out.write("  },\n}\n")
    docs = corpus()
    tdir = os.path.join(root, "dispersion_text")
    os.makedirs(tdir, exist_ok=True)
    for d, doc in enumerate(docs):
        with open(os.path.join(tdir, "doc%d.txt" % (d + 1)), "w") as out:
            for i in range(0, len(doc), 12):
                out.write(" ".join(doc[i:i + 12]) + "\n")
    with open(os.path.join(root, "dispersion_text.lua"), "w") as out:
        out.write("-- Written by tests/tools/dispersion_ref.py from dispersion_text/*.txt; do not edit.\n")
        t = text_cases(docs)
        out.write("return {\n  tokens = %d,\n" % t["tokens"])
        for name in ("docs", "parts3"):
            out.write("  %s = {\n" % name)
            for w in sorted(t[name]):
                out.write("    [\"%s\"] = %s,\n" % (w, lua_value(t[name][w])))
            out.write("  },\n")
        out.write("}\n")


if __name__ == "__main__":
    main()
