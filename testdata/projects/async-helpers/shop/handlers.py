from shop.platform_io import cached_settings, stamped_sleep, windows_console


async def handle(path):
    windows_console()  # TAU511: only on one platform
    cached_settings(path)  # TAU511: memoised
    stamped_sleep(1)  # TAU510, no fix: it reads the running loop (in another module)
