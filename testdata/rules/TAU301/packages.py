import numpy
import numpy.linalg as la  # not reported: `numpy` itself stays imported at module level
import scipy.sparse  # reported
import scipy.optimize as opt  # reported


ONES = numpy.ones(3)


def solve(a, b):
    return la.solve(a, b)


def sparse(x):
    return scipy.sparse.csr_matrix(x) if opt else None
