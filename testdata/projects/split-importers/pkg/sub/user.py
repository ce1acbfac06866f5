from ..mod import parse_scaled, VERSION


def run():
    return parse_scaled("k=v"), VERSION
