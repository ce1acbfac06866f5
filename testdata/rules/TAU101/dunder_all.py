from a import exported_one
from b import exported_two
from c import exported_three
from d import appended
from e import not_exported

__all__ = ["exported_one"]
__all__ += ("exported_two",)
__all__.extend(["exported_three"])
__all__.append("appended")
