#!/usr/bin/env python3
# Random CQL queries for tests/tools/cql-random.sh (a differential run against
# cqp): tokens, tests, tags, groups, quantifiers, alternatives, strategies,
# within. Deterministic by seed.  cql-random.py SEED COUNT [--target]
import random, sys
random.seed(int(sys.argv[1]))
N = int(sys.argv[2])
TARGET = "--target" in sys.argv
words = ['"the"', '"dog"', '"a"', '"b"', '"and"', '"big"', '"LORD"', '"Moses"', '"the" %c', '"caf."', '"d.g"', '[]']
tests = ['[pos="JJ"]', '[pos="NN"]', '[pos="N.*"]', '[pos="DT"]', '[pos="CC"]', '[lemma="dog|cat"]', '[pos!="NN"]',
         '[pos="NN" & lemma!="dog"]', '[pos="JJ" | pos="RB"]', '[]', '[lemma = word]', '[!pos="DT"]']
tags = ['<s>', '</s>', '<p>', '</p>', '<text>', '</text>', '<text_year="1936">', '<text_id="t[13]">']
quants = ['', '', '', '?', '*', '+', '{2}', '{1,2}', '{0,2}', '{2,}']
def atom(d):
    r = random.random()
    if r < 0.35: return random.choice(words)
    if r < 0.75: return random.choice(tests)
    if r < 0.85 and d < 2: return '(' + alt(d+1) + ')'
    return random.choice(tests)
def factor(d):
    a = atom(d)
    return a + random.choice(quants)
def seq(d):
    n = random.randint(1, 3)
    parts = []
    for i in range(n):
        if random.random() < 0.15: parts.append(random.choice(tags))
        parts.append(factor(d))
    if random.random() < 0.15: parts.append(random.choice(tags))
    return ' '.join(parts)
def alt(d):
    s = seq(d)
    if random.random() < 0.2: s += ' | ' + seq(d)
    return s
for i in range(N):
    strat = random.choice(['', '', '(?longest) ', '(?shortest) ', '(?traditional) '])
    q = strat + alt(0)
    r = random.random()
    if r < 0.3: q += ' within s'
    elif r < 0.4: q += ' within ' + str(random.randint(1, 4))
    elif r < 0.45: q += ' within p'
    if TARGET:   # an @ before one token or test that starts an element
        spots = [i for i, c in enumerate(q) if c in '["' and (i == 0 or q[i - 1] in ' (|') and q[i - 1:i] != '=']
        if not spots: continue
        i = random.choice(spots)
        q = q[:i] + '@' + q[i:]
    print(q)
