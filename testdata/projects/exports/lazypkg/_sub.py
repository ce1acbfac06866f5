import lazypkg


def spawn(status=lazypkg.STATUS):
    return status
