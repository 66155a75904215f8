"""Values of sweep parameters: grid combinations and random samples (uniform or log-uniform,
over ranges or lists)."""
from __future__ import annotations

import itertools
import math
from typing import Any
import numpy as np


# --- sampling ---------------------------------------------------------------------------------
def _py(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _grid_values(p) -> list:
    if p.values is not None:
        return list(p.values)
    lo, hi = p.range
    xs = np.geomspace(lo, hi, p.n) if p.log else np.linspace(lo, hi, p.n)
    xs[0], xs[-1] = lo, hi
    if p.integer:
        return list(dict.fromkeys(int(round(x)) for x in xs))
    return [float(x) for x in xs]


def grid_points(parameters: list) -> list[dict[str, Any]]:
    """Every combination of the parameters' values (the last parameter varies fastest)."""
    axes = [_grid_values(p) for p in parameters]
    names = [p.field for p in parameters]
    return [dict(zip(names, combo)) for combo in itertools.product(*axes)]


def random_points(parameters: list, n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` points drawn with ``numpy.random.default_rng(seed)``: uniform (or log-uniform) in
    each range, uniform among listed values.

    Reproducible, and a prefix-stable sequence: the first ``n`` points of a sweep with more
    points and the same seed are the same points, so growing ``n`` reuses finished points.
    """
    rng = np.random.default_rng(seed)
    u = rng.random((n, len(parameters)))  # row-major fill: rows are prefix-stable in n
    cols = []
    for j, p in enumerate(parameters):
        if p.values is not None:
            k = len(p.values)
            cols.append([p.values[min(int(x * k), k - 1)] for x in u[:, j]])
            continue
        lo, hi = p.range
        if p.integer:
            a, b = math.ceil(lo), math.floor(hi)
            if p.log:  # log-uniform over [a, b + 1), floored: P(k) ∝ log((k + 1)/k)
                x = np.exp(np.log(a) + u[:, j] * (np.log(b + 1) - np.log(a)))
            else:
                x = a + u[:, j] * (b - a + 1)
            col = np.clip(np.floor(x), a, b)
            cols.append([int(c) for c in col])
            continue
        if p.log:
            x = np.exp(np.log(lo) + u[:, j] * (np.log(hi) - np.log(lo)))
        else:
            x = lo + u[:, j] * (hi - lo)
        cols.append([float(c) for c in np.clip(x, lo, hi)])
    names = [p.field for p in parameters]
    return [{name: _py(cols[j][i]) for j, name in enumerate(names)} for i in range(n)]
