"""Heat in and out of a boundary condition, split by facet (recovered boundary flux), not by
node: quadratic facets have consistent loads of both signs under a one-signed flux."""
from __future__ import annotations

import pytest

from thermosat import Model, mesh
from thermosat.mesh.generators import quadratic


def _box(cell: str):
    base = mesh.box(1.0, 0.5, 0.5, 4, 2, 2, cell="tet4" if cell == "tet10" else "hex8")
    return base if cell == "hex8" else quadratic(base)


@pytest.mark.parametrize("cell", ["hex8", "hex20", "tet10"])
def test_one_signed_boundaries_have_no_opposite_part(cell):
    """Slab 1 m long (x), k = 10 W/m/K, ends held at 400 K and 300 K, a uniform 50 W/m² into
    one side: the field is linear in x plus what the flux adds. The held hot end only takes
    heat in, the cold end only gives it out, the flux only brings it in — on every element
    order (by node, a hex20 end showed ~28 % of its heat going the wrong way)."""
    m = Model(_box(cell))
    m.material(conductivity=10.0)
    m.fixed_temperature("xmin", 400.0, name="hot")
    m.fixed_temperature("xmax", 300.0, name="cold")
    m.heat_flux("ymin", 50.0, name="q")
    res = m.solve_steady()
    net_hot, net_cold = res.heat_flow("hot"), res.heat_flow("cold")
    assert net_hot > 0 > net_cold
    assert res.heat_flow("hot:in") == pytest.approx(net_hot, rel=1e-12)
    assert res.heat_flow("hot:out") <= 1e-12 * net_hot
    assert res.heat_flow("cold:out") == pytest.approx(-net_cold, rel=1e-12)
    assert res.heat_flow("cold:in") <= 1e-12 * -net_cold
    assert res.heat_flow("q:in") == pytest.approx(50.0 * 1.0 * 0.5, rel=1e-12)
    assert res.heat_flow("q:out") <= 1e-12
    # the flux enters, the ends take the rest: the balance closes
    assert net_hot + net_cold + 25.0 == pytest.approx(0.0, abs=1e-8)


@pytest.mark.parametrize("cell", ["hex8", "hex20", "tet10"])
def test_in_minus_out_is_the_net_for_mixed_conditions(cell):
    """A convecting side where the surface is partly above and partly below the fluid: both
    parts are reported, they differ by the net, and each is what the nearly linear field
    gives (a nodal split of the quadratic facets' loads overstated both)."""
    m = Model(_box(cell))
    m.material(conductivity=10.0)
    m.fixed_temperature("xmin", 400.0, name="hot")
    m.fixed_temperature("xmax", 300.0, name="cold")
    m.convection("ymax", 0.2, 350.0, name="air")      # Biot h·0.5/k = 0.01: T stays ~linear
    res = m.solve_steady()
    for n in ("hot", "cold", "air"):
        assert res.heat_flow(n + ":in") >= 0 and res.heat_flow(n + ":out") >= 0
        assert res.heat_flow(n) == pytest.approx(res.heat_flow(n + ":in")
                                                 - res.heat_flow(n + ":out"), abs=1e-9)
    # the field T ≈ 400 − 100 x crosses 350 K at mid-length (a cell boundary): the hot half
    # gives h·25 K·0.25 m² to the air (out), the cold half takes as much (in), to O(Biot)
    half = 0.2 * 25.0 * 0.25
    assert res.heat_flow("air:out") == pytest.approx(half, rel=0.03)
    assert res.heat_flow("air:in") == pytest.approx(half, rel=0.03)
