from pkg.cli.helpers import Path, clean_name, os

CACHE = Path(os.sep) / clean_name(" Cache ")
