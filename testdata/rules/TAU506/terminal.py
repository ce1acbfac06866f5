async def main():
    name = input("name? ")
    return name


async def shadowed(input):
    return input("not the builtin")
