import random, sys, re
SEED = 20261201
lines = []
for f in ("raw/corpus.txt", "raw/extra.txt"):
    lines += [l.rstrip("\n") for l in open(f) if re.search(r" TAU5(05|07|10) ", l)]
lines = sorted(set(lines))
for rule, n in (("TAU510", 60), ("TAU505", 30), ("TAU507", 30)):
    pool = [l for l in lines if f" {rule} " in l]
    rnd = random.Random(SEED)
    s = pool if len(pool) <= n else rnd.sample(pool, n)
    with open(f"sample_{rule}.txt", "w") as o:
        o.write("\n".join(s) + "\n")
    print(rule, len(pool), len(s))
