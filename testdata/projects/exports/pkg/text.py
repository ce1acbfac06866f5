def clean_name(name):
    return name.strip().lower()
