"""Helpers of scripts/fix-safety.sh for the proving ground.

  fix-report.py fixed BEFORE.json AFTER.json
      Findings per family (TAU1..TAU5) that a fix run removed: for each rule, findings before minus
      findings after (the JSON of `tauten check --output-format json`), summed per family.
  fix-report.py compile ORIGINAL_DIR FIXED_DIR
      Every .py file that differs between the two trees (or is new) must compile with this
      interpreter (`compile()`, the interpreter that runs this script). Prints `changed N` and one
      `NOCOMPILE path: error` line per file that does not.
  fix-report.py changed DIR_A DIR_B
      How many files differ between the two trees.
"""

import collections
import filecmp
import json
import os
import sys


def count(path):
    with open(path, encoding="utf-8") as f:
        return collections.Counter(d["code"] for d in json.load(f))


def fixed(before, after):
    b, a = count(before), count(after)
    families = collections.Counter()
    for code, n in b.items():
        families[code[:4]] += max(0, n - a.get(code, 0))
    print(" ".join(f"{fam}={families.get(fam, 0)}" for fam in ("TAU1", "TAU2", "TAU3", "TAU4", "TAU5")))


def differing(a, b):
    out = []
    for dirpath, _dirs, files in os.walk(b):
        rel = os.path.relpath(dirpath, b)
        for name in files:
            fb = os.path.join(dirpath, name)
            fa = os.path.join(a, rel, name)
            if not os.path.exists(fa) or not filecmp.cmp(fa, fb, shallow=False):
                out.append(os.path.normpath(os.path.join(rel, name)))
    for dirpath, _dirs, files in os.walk(a):
        rel = os.path.relpath(dirpath, a)
        for name in files:
            if not os.path.exists(os.path.join(b, rel, name)):
                out.append(os.path.normpath(os.path.join(rel, name)) + " (removed)")
    return sorted(out)


def check_compile(original, fix):
    changed = differing(original, fix)
    print(f"changed {len(changed)}")
    for rel in changed:
        if not rel.endswith(".py"):
            continue
        path = os.path.join(fix, rel)
        with open(path, "rb") as f:
            source = f.read()
        try:
            compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as e:
            print(f"NOCOMPILE {rel}:{e.lineno}: {e.msg}")
        except Exception as e:  # ValueError (null bytes) and the like
            print(f"NOCOMPILE {rel}: {type(e).__name__}: {e}")


def main():
    cmd, *args = sys.argv[1:]
    if cmd == "fixed":
        fixed(*args)
    elif cmd == "compile":
        check_compile(*args)
    elif cmd == "changed":
        print(len(differing(*args)))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
