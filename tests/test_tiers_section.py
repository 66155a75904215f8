"""The report's "Why the tiers differ" section: its view factors are the closed form at each
tier's altitude, its m² per kW the row's area over its compute."""
from __future__ import annotations

import pytest

from thermosat.physics.earth_view import edge_on_view_factor
from thermosat.post.report import tiers_section


def _row(tier, alt_km, area, kw, chips, coolant):
    return {"tier": tier, "feasible": True, "altitude_km": alt_km, "radiator_area_m2": area,
            "compute_power_w": kw * 1e3, "n_chips": chips, "chip_power_w": kw * 1e3 / chips,
            "coolant_min_temp_k": coolant, "coolant_max_temp_k": coolant + 6.0,
            "radiator_flux_w_m2": kw * 1e3 / area, "binding_constraint": "junction"}


def test_view_factor_and_area_per_kw_come_from_the_rows():
    rows = [_row("vleo", 500.0, 76.2, 30.0, 22, 297.0), _row("meo", 2000.0, 61.2, 30.0, 24, 302.0)]
    text = "\n".join(tiers_section(rows))
    # the closed form: 0.267 at 500 km, 0.118 at 2,000 km (edge-on plate, Gilmore 2002)
    assert edge_on_view_factor(500e3) == pytest.approx(0.267, abs=5e-4)
    assert edge_on_view_factor(2000e3) == pytest.approx(0.118, abs=5e-4)
    assert "| VLEO | 30.0 kW | 22 × 1364 W | 76.2 m² | 2.54 | 0.267 |" in text
    assert "| MEO | 30.0 kW | 24 × 1250 W | 61.2 m² | 2.04 | 0.118 |" in text
    assert "from 0.267 at 500 km to 0.118 at 2000 km" in text


def test_nothing_to_compare_with_one_tier_or_an_infeasible_one():
    one = [_row("vleo", 500.0, 76.2, 30.0, 22, 297.0)]
    assert tiers_section(one) == []
    bad = dict(one[0], tier="leo", feasible=False, radiator_area_m2=None)
    assert tiers_section(one + [bad]) == []


def test_an_orbit_junction_above_the_limit_is_flagged():
    from thermosat.post.report import orbit_junction_note

    r = {"junction_limit_k": 363.15, "compute_power_w": 30e3}
    assert orbit_junction_note(r, {"junction_max_k": 357.2}) == []
    text = "\n".join(orbit_junction_note(r, {"junction_max_k": 376.4}))
    assert "exceeds its 363.1 K limit by 13.2 K" in text and "30.0 kW" in text
