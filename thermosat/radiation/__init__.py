"""Surface-to-surface radiation between mesh facets.

* :mod:`.viewfactors` — diffuse view factors of planar tri3/quad4 facets (contour integral
  for near pairs, adaptive Gauss for far pairs, BVH obstruction, reciprocity, closure,
  sparse CSR, disk cache via :mod:`.vf_cache`);
* :mod:`.radiosity` — gray-diffuse exchange with space as a sink: net heat per facet or
  node, its exact Jacobian, Gebhart factors and a group-to-group breakdown;
* :mod:`.bvh` — the Numba bounding-volume hierarchy used for obstruction.
"""
from __future__ import annotations

from thermosat.radiation.radiosity import (
    ExchangeBreakdown,
    RadiosityExchange,
    facet_node_operator,
    facet_temperatures,
)
from thermosat.radiation.viewfactors import (
    ViewFactors,
    enforce_closure,
    exchange_area,
    facet_geometry,
    polygon_exchange_area,
    stack_facets,
    view_factors,
)

__all__ = [
    "ExchangeBreakdown",
    "RadiosityExchange",
    "ViewFactors",
    "enforce_closure",
    "exchange_area",
    "facet_geometry",
    "facet_node_operator",
    "facet_temperatures",
    "polygon_exchange_area",
    "stack_facets",
    "view_factors",
]
