import redis


async def cached(key):
    r = redis.Redis()  # connects at its first command: not reported
    pipe = r.pipeline()  # no round trip: not reported
    pipe.get(key)
    return r.get(key)  # a round trip: reported
