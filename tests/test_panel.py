"""The dual-face layered panel against hand calculations.

Every check uses a laterally uniform problem (uniform fluxes and coatings per region), so the
FE answer must equal a scalar or 1D balance worked out here. Constants: σ CODATA 2018
(5.670374419e-8 W/m²/K⁴, ``thermosat.common.constants``); the panel radiates to the model's
default 3 K sink; coatings and cells from ``thermosat/physics/presets.py`` (docs/references.md values).
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import brentq

from thermosat import Model
from thermosat.common.errors import InputError
from thermosat.common.constants import SIGMA
from thermosat.physics.environment import OrbitEnvironment
from thermosat.physics.orbit import Orbit
from thermosat.physics.panel import FluxProvider, PanelSpec, build_panel
from thermosat.physics.presets import Coating, Layer, cell_technology, coating
from thermosat.satellite.satellite import grid_shell

T_SINK = 3.0  # K, Model.radiation default used by build_panel
#: near-isothermal stack: through-thickness resistance 1e-3/1e4 = 1e-7 m²K/W per layer, so the
#: few hundred W/m² crossing drop ~3e-5 K. Stiffer links raise the round-off floor of the
#: residual instead (each link carries g·T ~ 1e9 W of cancelling terms per node at 1e7
#: W/m²K: Newton stalls near 2e-10 relative here, 2e-8 at 1e9 W/m²K); hence rtol 1e-9.
STIFF = (Layer("cells", 1e-3, 1e4, 2330.0, 700.0), Layer("sheet", 1e-3, 1e4, 2700.0, 900.0))
#: one layer: front and back faces on the same nodes, exactly isothermal through the thickness
SINGLE = (Layer("cells", 1e-3, 1e4, 2330.0, 700.0),)


class ConstantFluxes:
    """Stand-in for :class:`FluxProvider` with fixed fluxes (W/m²) per face."""

    def __init__(self, sun_front=0.0, ir_front=0.0, sun_back=0.0, ir_back=0.0):
        self.sun = {"front": sun_front, "back": sun_back}
        self.ir = {"front": ir_front, "back": ir_back}

    def sunlight(self, face):
        return lambda t: self.sun[face]

    def absorbed(self, face, alpha, epsilon, sunlight=True):
        return lambda t: (alpha * self.sun[face] if sunlight else 0.0) + epsilon * self.ir[face]


def _mesh(lx, ly, nx, ny, cells_until_x=None):
    """Quad shell lx × ly (m); cells region x < ``cells_until_x`` (all cells when None)."""
    m = grid_shell(np.linspace(0.0, lx, nx + 1), np.linspace(0.0, ly, ny + 1))
    cx = m.points[m.cells].mean(axis=1)[:, 0]
    if cells_until_x is None:
        return m.with_regions(cell_regions={"cells": np.arange(m.n_cells)})
    return m.with_regions(cell_regions={"cells": np.flatnonzero(cx < cells_until_x),
                                        "radiator": np.flatnonzero(cx >= cells_until_x)})


def _solve(spec, fluxes, rtol=1e-9):
    """Build and solve (rtol 1e-9: above the round-off floor of the stiff stack, see STIFF)."""
    model = Model()
    panel = build_panel(model, "panel", spec, fluxes)
    res = model.solve_steady(rtol=rtol)
    return model, panel, res


# --------------------------------------------------------------------------- isothermal panel
@pytest.mark.parametrize("layers, rtol", [(SINGLE, 1e-12), (STIFF, 1e-9)], ids=["one_layer",
                                                                                "stiff_stack"])
def test_isothermal_panel_in_full_sun_matches_scalar_balance_with_pv(layers, rtol):
    """α_c G_f + ε_c IR_f + α_b G_b + ε_b IR_b − η(T) p G_f = (ε_c + ε_b) σ (T⁴ − T_s⁴)."""
    env = OrbitEnvironment(Orbit.from_tier("vleo", 0.0))
    fluxes = FluxProvider(env, "sun_pointing", theta_rad=0.0)  # noon: Sun on front, Earth on back
    f, b = fluxes.faces(0.0)["front"], fluxes.faces(0.0)["back"]
    g_f = float(f.solar[0] + f.albedo[0])      # 1361 W/m² (front faces the Sun)
    ir_f = float(f.earth_ir[0])                  # 0 (front faces away from the Earth)
    g_b = float(b.solar[0] + b.albedo[0])      # albedo on the nadir-facing back
    ir_b = float(b.earth_ir[0])
    assert g_f == pytest.approx(1361.0, rel=1e-12)
    hjt, back = cell_technology("hjt"), coating("z93")  # α/ε 0.75/0.82 and 0.15/0.92
    p = 0.9
    spec = PanelSpec(_mesh(2.0, 1.0, 4, 2), layers=layers, cell=hjt, packing=p,
                     back={"cells": back})
    _model, panel, res = _solve(spec, fluxes, rtol)

    def balance(T):
        absorbed = hjt.alpha * g_f + hjt.epsilon * ir_f + back.alpha * g_b + back.epsilon * ir_b
        return (absorbed - float(hjt.efficiency(T)) * p * g_f
                - (hjt.epsilon + back.epsilon) * SIGMA * (T**4 - T_SINK**4))

    T_ref = brentq(balance, 200.0, 500.0, xtol=1e-13, rtol=1e-15)
    assert 300.0 < T_ref < 340.0  # sanity: the ~320 K of a sunlit Si panel
    T = res.T
    assert T.max() - T.min() < 1e-4  # isothermal limit (through-thickness drop ~3e-5 K)
    assert T.mean() == pytest.approx(T_ref, rel=1e-6)
    # PV electricity = η(T) G p A with the preset's η(T)
    p_pv = panel.pv.electric_power_w(T)
    assert p_pv == pytest.approx(float(hjt.efficiency(T_ref)) * g_f * p * 2.0, rel=1e-6)
    # electricity leaves the thermal model as power: it is listed as out, and the balance closes
    eb = res.energy
    assert eb.heat_out["panel:pv:electric"] == pytest.approx(p_pv, rel=1e-12)
    # closes to 1e-10 (one layer); the stiff stack is solved to its round-off floor, 1e-9
    assert eb.imbalance_rel < max(rtol, 1e-10)
    assert abs(eb.total_in_w - eb.total_out_w) <= max(rtol, 1e-10) * eb.total_in_w


def test_hotter_cells_make_less_power():
    # the same panel with the Sun 10 % stronger runs hotter: efficiency falls by γ·ΔT
    hjt = cell_technology("hjt")
    etas, temps = [], []
    for g in (1300.0, 1430.0):
        spec = PanelSpec(_mesh(1.0, 1.0, 2, 2), layers=SINGLE, cell=hjt, packing=1.0,
                         back={"cells": coating("z93")})
        _model, panel, res = _solve(spec, ConstantFluxes(sun_front=g), rtol=1e-12)
        temps.append(res.T.mean())
        etas.append(panel.pv.electric_power_w(res.T) / g)  # η·A with A = 1 m², p = 1
    assert temps[1] > temps[0]
    # Δη = η_ref γ ΔT (η linear in T): 0.24 × −0.0024 × ΔT
    assert etas[1] - etas[0] == pytest.approx(0.24 * -0.0024 * (temps[1] - temps[0]), rel=1e-6)


# --------------------------------------------------------------------------- through thickness
@pytest.mark.parametrize("layers", [
    (Layer("cells", 2e-3, 0.5, 2000.0, 800.0), Layer("b", 1e-3, 2.0, 2000.0, 800.0),
     Layer("c", 3e-3, 1.0, 2000.0, 800.0)),
    None,  # the default cell stack: cover glass, cells, substrate, face sheet
])
def test_through_thickness_drop_is_series_resistance(layers):
    """Front absorbs q, front ε = 0, back radiates: all of q crosses the stack in 1D.

    Layer temperatures are mid-plane values; neighbouring mid-planes are joined by the two
    half-layers in series, so T_1 − T_n = q Σ_(i<n) (t_i/2k_i + t_(i+1)/2k_(i+1))
    = q (Σ t/k − t_1/2k_1 − t_n/2k_n); the face-to-face drop q Σ t/k adds the two outer half
    layers.
    """
    from thermosat.physics.presets import DEFAULT_CELL_STACK

    layers = layers or DEFAULT_CELL_STACK
    q = 1000.0  # W/m² absorbed on the front (α = 1, G = 1000)
    spec = PanelSpec(_mesh(1.0, 1.0, 2, 2, cells_until_x=-1.0), layers=layers,
                     front={"radiator": Coating("absorber", 1.0, 0.0)},
                     back={"radiator": Coating("black", 0.0, 1.0)})
    model, panel, res = _solve(spec, ConstantFluxes(sun_front=q), rtol=1e-12)
    T = res.T
    mid = [float(T[model.parts[p].nodes].mean()) for p in panel.layer_parts]
    for p in panel.layer_parts:  # laterally uniform
        assert np.ptp(T[model.parts[p].nodes]) < 1e-8
    # each interface: ΔT = q (t_a/2k_a + t_b/2k_b)
    for (a, b), (ta, tb) in zip(itertools.pairwise(layers), itertools.pairwise(mid)):
        r = a.thickness_m / (2 * a.conductivity_w_mk) + b.thickness_m / (2 * b.conductivity_w_mk)
        assert ta - tb == pytest.approx(q * r, rel=1e-6)
    r_total = sum(L.thickness_m / L.conductivity_w_mk for L in layers)
    r_mid = r_total - layers[0].thickness_m / (2 * layers[0].conductivity_w_mk) \
        - layers[-1].thickness_m / (2 * layers[-1].conductivity_w_mk)
    assert mid[0] - mid[-1] == pytest.approx(q * r_mid, rel=1e-6)
    # the back radiates all of it: σ (T_n⁴ − T_s⁴) = q
    assert mid[-1] == pytest.approx((q / SIGMA + T_SINK**4) ** 0.25, rel=1e-9)


# --------------------------------------------------------------------------- regions
FLUXES = {"sun_front": 1361.0, "ir_front": 20.0, "sun_back": 300.0, "ir_back": 200.0}  # W/m²


def _two_region_panel(layers, rtol, nx=12):
    """Cells strip 1 × 1 m (HJT α/ε 0.75/0.82 front, Z-93 0.15/0.92 back), radiator strip
    2 × 1 m (OSR 0.07/0.74 front, black paint 0.95/0.88 back), fluxes ``FLUXES``."""
    spec = PanelSpec(_mesh(3.0, 1.0, nx, 2, cells_until_x=1.0), layers=layers,
                     cell=cell_technology("hjt"), packing=0.9,
                     front={"radiator": coating("osr")},
                     back={"cells": coating("z93"), "radiator": coating("black_paint")})
    return (spec, *_solve(spec, ConstantFluxes(**FLUXES), rtol))


def test_cells_and_radiator_regions_absorb_and_emit_with_their_own_coatings():
    spec, _model, _panel, res = _two_region_panel(SINGLE, 1e-12)
    a_c, a_r = 1.0, 2.0
    assert spec.region_area_m2("cells") == pytest.approx(a_c, rel=1e-12)
    assert spec.region_area_m2("radiator") == pytest.approx(a_r, rel=1e-12)
    hjt = cell_technology("hjt")
    fc = spec.front_coating("cells")
    assert (fc.alpha, fc.epsilon) == (hjt.alpha, hjt.epsilon)  # cells front = cell's α/ε

    flows = {**res.energy.heat_in, **{k: -v for k, v in res.energy.heat_out.items()}}
    # absorbed per region (W), by hand: α G + ε IR times the region's area; in the cells
    # region the front's sunlight goes to the cell layer (absorbed_sunlight), its IR to the face
    assert flows["panel:front_cells:absorbed_sunlight"] == pytest.approx(0.75 * 1361.0 * a_c)
    assert flows["panel:front_cells:absorbed"] == pytest.approx(0.82 * 20.0 * a_c)
    assert flows["panel:front_radiator:absorbed"] == pytest.approx(
        (0.07 * 1361.0 + 0.74 * 20.0) * a_r)
    assert flows["panel:back_cells:absorbed"] == pytest.approx((0.15 * 300.0 + 0.92 * 200.0) * a_c)
    assert flows["panel:back_radiator:absorbed"] == pytest.approx(
        (0.95 * 300.0 + 0.88 * 200.0) * a_r)
    # one layer: front and back of a region share one temperature field, so their emission
    # ratio is the ratio of the coatings' ε (whatever the field)
    assert flows["panel:front_cells:emitted"] / flows["panel:back_cells:emitted"] == \
        pytest.approx(0.82 / 0.92, rel=1e-12)
    assert flows["panel:front_radiator:emitted"] / flows["panel:back_radiator:emitted"] == \
        pytest.approx(0.74 / 0.88, rel=1e-12)
    # sink irradiation ε σ T_s⁴ A per face and region
    assert flows["panel:back_radiator:sink"] == pytest.approx(0.88 * SIGMA * T_SINK**4 * a_r)
    assert res.energy.imbalance_rel < 1e-10


def test_thermally_separate_regions_reach_their_own_equilibria():
    """A very poorly conducting panel (one layer, k·t = 1e-7 W/K: the fin decay length
    √(k t/h_rad) is ~0.2 mm): far from the region boundary each strip sits at the 1D balance
    of its own coatings,

        cells:    0.75 G + 0.82 IR_f + 0.15 G_b + 0.92 IR_b − η(T) 0.9 G = (0.82+0.92) σ (T⁴−T_s⁴)
        radiator: 0.07 G + 0.74 IR_f + 0.95 G_b + 0.88 IR_b         = (0.74+0.88) σ (T⁴−T_s⁴)
    """
    weak = (Layer("cells", 1e-4, 1e-3, 2330.0, 700.0),)
    # 1/16 m cells: with negligible conduction, consistent (Galerkin) radiation integrals ring
    # next to the jump in coating, decaying by ~(2 − √3) ≈ 0.27 per cell; the checked nodes
    # are 12+ cells from the boundary (ringing < 1e-5 K there)
    _spec, model, panel, res = _two_region_panel(weak, 1e-12, nx=48)
    hjt = cell_technology("hjt")
    g, irf, gb, irb = FLUXES.values()
    pts = model.parts[panel.layer_parts[0]].mesh.points
    T = res.T[model.parts[panel.layer_parts[0]].nodes]

    def cells(T):
        return (0.75 * g + 0.82 * irf + 0.15 * gb + 0.92 * irb - float(hjt.efficiency(T)) * 0.9 * g
                - (0.82 + 0.92) * SIGMA * (T**4 - T_SINK**4))

    def radiator(T):
        return 0.07 * g + 0.74 * irf + 0.95 * gb + 0.88 * irb - (0.74 + 0.88) * SIGMA * (
            T**4 - T_SINK**4)

    t_cells = brentq(cells, 100.0, 500.0, xtol=1e-13, rtol=1e-15)
    t_rad = brentq(radiator, 100.0, 500.0, xtol=1e-13, rtol=1e-15)
    assert t_cells > t_rad + 10.0  # different coatings, different temperatures
    assert np.all(np.abs(T[pts[:, 0] <= 0.25] - t_cells) < 1e-6 * t_cells)
    assert np.all(np.abs(T[pts[:, 0] >= 1.75] - t_rad) < 1e-6 * t_rad)


# --------------------------------------------------------------------------- input checks
def test_panel_spec_rejects_bad_inputs():
    m = _mesh(1.0, 1.0, 1, 1)
    with pytest.raises(InputError, match="packing"):
        PanelSpec(m, packing=1.5)
    with pytest.raises(InputError, match="cell_layer"):
        PanelSpec(m, layers=(Layer("x", 1e-3, 1.0, 1.0, 1.0),))
    bare = grid_shell(np.linspace(0, 1, 2), np.linspace(0, 1, 2))
    with pytest.raises(InputError, match="cells.*radiator|radiator"):
        PanelSpec(bare)
