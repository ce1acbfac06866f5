"""The package `pandas` itself: the built-in heavy list does not apply to its own modules."""
