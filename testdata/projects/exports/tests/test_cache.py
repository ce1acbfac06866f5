from unittest import mock

import pkg.store.cache


@mock.patch("pkg.cli.helpers.json")
def test_cache(json):
    assert pkg.store.cache.CACHE.name == "cache"
