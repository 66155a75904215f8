"""Surface-to-surface radiation between mesh facets (view factors, radiosity, ray casting).
Imports common, mesh and fem only.

* :mod:`.viewfactors` — diffuse view factors of planar tri3/quad4 facets, the front door:
  :mod:`.facets` (geometry, Gauss rules), :mod:`.contour` (contour integral of near pairs),
  :mod:`.pairs` (candidates, per-pair exchange areas, BVH obstruction), :mod:`.closure`
  (enclosure rows), :mod:`.vf_matrix` (the sparse result), :mod:`.vf_cache` (disk cache);
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
