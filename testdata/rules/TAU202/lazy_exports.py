from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Model

__all__ = ["Model"]


def __getattr__(name):
    # Provides the names of __all__ on first access.
    from . import models

    return getattr(models, name)
