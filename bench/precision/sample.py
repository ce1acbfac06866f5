import random, sys, re
SEED = 20261201
lines = []
for f in ("raw/corpus.txt", "raw/extra.txt"):
    lines += [l.rstrip("\n") for l in open(f) if re.search(r" TAU5(05|07|10) ", l)]
lines = sorted(set(lines))
# batch 2 (packages2.txt) was added after the TAU510/TAU505 samples were drawn, only to find more
# TAU507 findings: it enters the TAU507 pool only, so the other two samples stay as drawn.
lines2 = sorted(set(l.rstrip("\n") for l in open("raw/extra2.txt") if " TAU507 " in l))
for rule, n in (("TAU510", 60), ("TAU505", 30), ("TAU507", 30)):
    pool = [l for l in lines if f" {rule} " in l] + (lines2 if rule == "TAU507" else [])
    rnd = random.Random(SEED)
    s = pool if len(pool) <= n else rnd.sample(pool, n)
    with open(f"sample_{rule}.txt", "w") as o:
        o.write("\n".join(s) + "\n")
    print(rule, len(pool), len(s))
