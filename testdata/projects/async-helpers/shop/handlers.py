from shop.platform_io import (
    cached_settings,
    list_contexts,
    load_config,
    stamped_sleep,
    windows_console,
)


async def handle(path):
    windows_console()  # TAU511: only on one platform
    cached_settings(path)  # TAU511: memoised
    stamped_sleep(1)  # TAU510, no fix: it reads the running loop (in another module)
    list_contexts(path)  # nothing: the write needs `persist`, which it never passes
    load_config(path)  # nothing: `persist` not passed
    load_config(path, persist=True)  # TAU510: passes `persist`
    load_config(path, True)  # TAU510: passes it by position
