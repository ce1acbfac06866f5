from rates import io


async def nightly():
    io.fetch_rates()


async def hourly():
    io.fetch_rates()


async def weekly():
    io.fetch_rates()
