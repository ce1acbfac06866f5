import aiofiles


async def load(path):
    with open(path) as f:  # fix: async with aiofiles.open(...), awaits below
        header = f.readline()
        body = f.read().splitlines()
    return header, body


async def copy(src, dst):
    with open(src, "rb") as fin:  # fix
        data = fin.read()
    with open(dst, "wb") as fout:  # fix
        fout.write(data)


async def lines(path):
    with open(path) as f:  # fix: async for
        for line in f:
            print(line)


async def passed_on(path, parse):
    with open(path) as f:  # no fix: the file is passed elsewhere
        return parse(f)


async def nested_uses(path):
    with open(path, "r+") as f:  # no fix: one use inside another's arguments
        f.write(f.read())


async def used_after(path):
    with open(path) as f:  # no fix: used after the block
        f.read()
    return f.closed


async def two_items(a, b):
    with open(a) as fa, open(b) as fb:  # no fix: more than one item
        return fa.read() + fb.read()


async def plain(path):
    f = open(path)  # no aiofiles rewrite outside a with block: a thread instead
    return f
