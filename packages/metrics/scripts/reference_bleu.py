"""Reference values for the BLEU tests: an independent float64/Fraction re-implementation of
NLTK's corpus_bleu (nltk/translate/bleu_score.py: modified_precision, closest_ref_length,
brevity_penalty, SmoothingFunction.method0-3), checked against the values printed in NLTK's
documentation (corpus_bleu example 0.5920778868801042, sentence_bleu example
0.5045666840058485). Run: python3 packages/metrics/scripts/reference_bleu.py
"""
import math
from collections import Counter
from fractions import Fraction


def ngrams(seq, n):
    return [tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)]


def modified_precision(refs, hyp, n):
    counts = Counter(ngrams(hyp, n))
    max_ref = {}
    for ref in refs:
        rc = Counter(ngrams(ref, n))
        for g in counts:
            max_ref[g] = max(max_ref.get(g, 0), rc[g])
    clipped = sum(min(c, max_ref.get(g, 0)) for g, c in counts.items())
    return clipped, max(1, sum(counts.values()))


def corpus_bleu(list_of_refs, hyps, n_max=4, method=0, eps=0.1):
    num = Counter(); den = Counter(); hyp_len = ref_len = 0
    for refs, hyp in zip(list_of_refs, hyps):
        for n in range(1, n_max + 1):
            c, d = modified_precision(refs, hyp, n)
            num[n] += c; den[n] += d
        hyp_len += len(hyp)
        ref_len += min((len(r) for r in refs), key=lambda rl: (abs(rl - len(hyp)), rl))
    bp = 1.0 if hyp_len > ref_len else (0.0 if hyp_len == 0 else math.exp(1 - ref_len / hyp_len))
    if num[1] == 0:
        return 0.0
    p = [Fraction(num[n], den[n], _normalize=False) for n in range(1, n_max + 1)]
    if method == 0:
        if any(x.numerator == 0 for x in p):
            return 0.0
    elif method == 1:
        p = [(x.numerator + eps) / x.denominator if x.numerator == 0 else x for x in p]
    elif method == 2:
        p = [Fraction(x.numerator + 1, x.denominator + 1, _normalize=False) if i else x for i, x in enumerate(p)]
    elif method == 3:
        k = 1
        for i, x in enumerate(p):
            if x.numerator == 0:
                p[i] = 1 / (2 ** k * x.denominator); k += 1
    return bp * math.exp(sum(math.log(float(x)) for x in p) / n_max)


hyp1 = 'It is a guide to action which ensures that the military always obeys the commands of the party'.split()
ref1a = 'It is a guide to action that ensures that the military will forever heed Party commands'.split()
ref1b = 'It is the guiding principle which guarantees the military forces always being under the command of the Party'.split()
ref1c = 'It is the practical guide for the army always to heed the directions of the party'.split()
hyp2 = 'he read the book because he was interested in world history'.split()
ref2a = 'he was interested in world history because he read the book'.split()
print('nltk corpus example', corpus_bleu([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]))
print('nltk sentence example', corpus_bleu([[ref1a, ref1b, ref1c]], [hyp1]))
hyp3 = 'the cat sat on a mat'.split(); ref3 = 'the cat is on the mat'.split()
for m in range(4):
    print('no 3/4-gram match, method', m, corpus_bleu([[ref3]], [hyp3], method=m))
print('brevity', corpus_bleu([['the quick brown fox jumps over the lazy dog'.split()]], ['the quick brown fox jumps'.split()]))
print('bigram bleu', corpus_bleu([[ref3]], [hyp3], n_max=2))
