def plot():
    return "plot"
