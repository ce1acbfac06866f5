STATUS = object()
