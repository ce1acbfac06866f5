from rates.io import fetch_rates, refresh


async def usd():
    return fetch_rates()


async def eur():
    return fetch_rates()


async def gbp():
    return fetch_rates()


async def reload():
    refresh()  # one caller: reported here
