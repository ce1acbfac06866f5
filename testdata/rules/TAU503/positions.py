import subprocess


async def positions(names, proc, lock_for):
    text = subprocess.check_output(["ls"]).decode()  # the result's attribute: parenthesized
    first = subprocess.check_output(["ls"])[0]  # subscripted: parenthesized
    code = subprocess.run(["ls"], check=True).returncode  # keywords, attribute
    await proc.communicate(subprocess.check_output(["ls"]))  # an argument of an awaited call
    await subprocess.Popen(["ls"]).wait()  # `.wait()` is awaited, `Popen(...)` is not
    await subprocess.check_output(["ls"])  # awaited itself: not a blocking call, not reported
    await (subprocess.check_output(["ls"]))  # the same in parentheses
    async with lock_for(subprocess.check_output(["ls"])):  # inside an `async with` item
        pass
    with subprocess.Popen(["ls"]) as child:  # a `with` item: no fix
        child.poll()
    outputs = [subprocess.check_output([n]) for n in names]  # list comprehension
    unique = {subprocess.check_output([n]) for n in names}  # set comprehension
    by_name = {n: subprocess.check_output([n]) for n in names}  # dict comprehension
    lazy = (subprocess.check_output([n]) for n in names)  # generator expression: no fix
    eager = (n for n in subprocess.check_output(["ls"]).split())  # its first iterable: fixed
    later = lambda: subprocess.check_output(["ls"])  # a lambda: its own context, not reported
    return text, first, code, outputs, unique, by_name, lazy, eager, later
