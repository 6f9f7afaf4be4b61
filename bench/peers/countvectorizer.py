# bench/peers/countvectorizer.py TOKENS BYTES [MTX]: a document-feature matrix
# in Python (issue 17): scikit-learn's CountVectorizer over the tokens lexis
# found, one file of tokens (one a line) per document, with an identity
# analyzer, so both count the same tokens.
#
# Only fit_transform is timed: reading the token files is outside the clock.
# BYTES is the size of the text the tokens come from (for MB/s). With MTX
# (the matrix lexis dfm wrote for the same documents), the two must agree in
# shape, non-zero cells and total, or this exits 1. Last line: TIME SECONDS BYTES.
import os
import sys
import time

from sklearn.feature_extraction.text import CountVectorizer

tokdir, nbytes = sys.argv[1], int(sys.argv[2])
docs = []
for name in sorted(n for n in os.listdir(tokdir) if not n.startswith(".")):
    with open(os.path.join(tokdir, name), "rb") as f:
        docs.append(f.read().decode("utf-8", errors="surrogateescape").split("\n")[:-1])


def identity(doc):
    return doc


t0 = time.perf_counter()
x = CountVectorizer(analyzer=identity, lowercase=False).fit_transform(docs)
secs = time.perf_counter() - t0

total = int(x.sum())
print(f"{x.shape[0]} documents, {x.shape[1]} features, {x.nnz} non-zero, {total} tokens")
if len(sys.argv) > 3:
    with open(sys.argv[3], "rb") as f:
        line = f.readline()
        while line.startswith(b"%"):
            line = f.readline()
        rows, cols, nnz = (int(v) for v in line.split())
        lexis_total = sum(int(l.rsplit(None, 1)[1]) for l in f if l.strip())
    mine = (x.shape[0], x.shape[1], x.nnz, total)
    theirs = (rows, cols, nnz, lexis_total)
    if mine != theirs:
        sys.stderr.write(f"countvectorizer: the matrices differ: documents, features, non-zero, "
                         f"total {mine} here, {theirs} in {sys.argv[3]}\n")
        sys.exit(1)
    print("the same shape, non-zero cells and total as", sys.argv[3])
print("TIME", f"{secs:.6f}", nbytes)
