#!/usr/bin/python3
"""Checks lexis wordlist --measures all on a big text against
dispersion_ref.py's formulas: the worst relative difference per measure.

  lexis tokens --lower -k word,number TEXT > tokens.txt
  lexis wordlist --lower --parts K --measures all --format tsv TEXT > list.tsv
  /usr/bin/python3 tests/tools/dispersion_check.py tokens.txt list.tsv K
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dispersion_ref as ref  # noqa: E402


def main(tokens, table, k):
    with open(tokens, encoding="utf-8") as f:
        words = f.read().split("\n")
    if words and words[-1] == "":
        words.pop()
    n = len(words)
    pos = {}
    for i, w in enumerate(words):
        pos.setdefault(w, []).append(i)
    where = [i * k // n for i in range(n)]
    sizes = [0] * k
    for p in where:
        sizes[p] += 1
    with open(table, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = lines[0].split("\t")
    worst, rows = {}, 0
    for line in lines[1:]:
        if not line:
            continue
        cell = dict(zip(head, line.split("\t")))
        w = cell["word"]
        f = [0] * k
        for i in pos[w]:
            f[where[i]] += 1
        m = ref.measures(f, sizes)
        m.update(ref.distances(pos[w], n))
        for key in ("d", "dp", "dp_norm", "u", "d2", "s", "af", "kld", "dkl", "da", "arf", "aldf"):
            got, want = float(cell[key]), m[key]
            worst[key] = max(worst.get(key, 0.0), abs(got - want) / max(1.0, abs(want)))
        rows += 1
    print("%d tokens, %d words, %d parts; worst relative difference:" % (n, rows, k))
    for key, v in worst.items():
        print("  %-8s %.1e" % (key, v))
    return 0 if max(worst.values()) < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
