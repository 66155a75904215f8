"""Surface-to-surface radiation: view factors between mesh facets and gray-diffuse exchange."""
from __future__ import annotations

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
    "ViewFactors",
    "enforce_closure",
    "exchange_area",
    "facet_geometry",
    "polygon_exchange_area",
    "stack_facets",
    "view_factors",
]
