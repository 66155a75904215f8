"""Representative chip-package stacks (Dojo-, B200- and GB300-class) and hot-spot maps.

These are *representative* stacks built from public headline numbers and handbook material
data, not vendor drawings; change any field with ``preset(name, field=value)`` or
``PackageSpec.replace``.

Sources and choices
-------------------
Power and die area (docs/references.md, from the source article and public
announcements): Tesla Dojo D1 ~400 W on 645 mm² (modelled as a 25.4 × 25.4 mm die,
645.2 mm²); NVIDIA B200 ~1.0–1.2 kW (1000 W used); GB300 (Blackwell Ultra) ~1.4 kW.
B200/B300 put two reticle-limited dies (~800 mm² each, the reticle being 26 × 33 mm) side by
side in one package. We model the pair as **one** 50 × 32 mm (1600 mm²) silicon footprint
with uniform power: the narrow gap between the dies and the HBM stacks around them are
ignored (the HBM power is counted in the die power). That makes the spreading slightly
optimistic; use a ``power_map`` to put the power in two halves if that matters.

Materials (Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed., Table A.1):
silicon k = 148 W/m/K at 300 K falling to ~120 W/m/K at 375 K (Glassbrenner & Slack,
*Phys. Rev.* 134 (1964) A1058) — 130 W/m/K used for a ~80 °C die; ρ = 2330 kg/m³,
c = 712 J/kg/K. Copper (lid, cold plate): k = 390 W/m/K (OFHC, 300–350 K), ρ = 8933 kg/m³,
c = 385 J/kg/K.

Interfaces (Prasher, "Thermal interface materials: historical perspective, status, and
future directions", *Proc. IEEE* 94 (2006) 1571): on the lidded Dojo-class part TIM1 is an
indium solder bond line, 50 µm; bulk indium k ≈ 82 W/m/K, but with its two metallised
interfaces the effective resistance is ~0.02 cm²K/W, so k_eff = 25 W/m/K is used
(R'' = 2.0e-6 m²K/W); TIM2 is a thermal grease (3–5 W/m/K class), 50 µm at k = 4 W/m/K
(R'' = 1.25e-5 m²K/W = 0.125 cm²K/W). The B200/GB300-class parts are modelled **bare die**
(no lid, no TIM2), as SXM-style GPU modules are cooled with the cold plate on the die
through a thin TIM: 30 µm of a 5 W/m/K high-performance grease / phase-change material
(R'' = 6e-6 m²K/W). Add a lid with ``preset("gb300", lid=Block(...), tim2=Interface(...))``.

Cold plate: copper base 3 mm with skived microchannel fins; ``area_factor`` = 4 (wetted fin
area ≈ 4–6 × footprint at an overall fin efficiency ~0.8). The fluid-side h is *solved*
(:func:`~thermosat.physics.package.h_for_cold_plate_resistance`) so that the cold-plate
resistance — mean over the contact face of the cold plate's top to the fluid: base
conduction + spreading + convection — is 0.04 K/W (Dojo), 0.035 K/W (B200) and 0.03 K/W
(GB300); docs/references.md quotes cold plates at ~0.03–0.04 K/W. That gives h ≈ 2.0e3 (Dojo),
2.8e3 (B200) and 3.6e3 W/m²/K (GB300) on the wetted area (h·area_factor ≈ 8e3–1.4e4 W/m²/K
on the footprint): a modest water cold plate; the best microchannel plates do better, and
the loop may replace h with its own correlation value.

With a 300 K fluid the hand calculation gives mean junction temperatures of 335 K (Dojo),
342 K (B200) and 352 K (GB300); the FE maxima are ~340, 351 and 363 K — the GB300-class part
reaches its 90 °C limit at a 300 K coolant.

Rated power (``rated_power_w``, the most the part is run at; above it is a violated limit):
Dojo D1 400 W (Tesla AI Day 2021: "400 W TDP" for D1 on 645 mm²); B200 1000 W (NVIDIA
DGX B200 / HGX B200 configurable TDP up to 1000 W per GPU; the B200 in GB200 NVL72 runs at
up to 1200 W, so the 1.0–1.2 kW range of docs/references.md is 1.0–1.2 kW: the lower, air/liquid HGX value is
used); GB300 / Blackwell Ultra 1400 W (NVIDIA GB300 NVL72, up to 1.4 kW per GPU, docs/references.md).
The preset's ``power_w`` equals its rating (the operating point is set by the satellite).

Junction limit: 363.15 K (90 °C), the middle of the 85–95 °C at which data-centre parts
throttle (docs/references.md).
"""
from __future__ import annotations

from functools import cache

import numpy as np

from thermosat.common.errors import InputError
from thermosat.physics.package import Block, Interface, PackageSpec, h_for_cold_plate_resistance

__all__ = [
    "COPPER",
    "GREASE_TIM1_BARE",
    "GREASE_TIM2",
    "INDIUM_TIM1",
    "PRESETS",
    "RATED_POWER_W",
    "SILICON",
    "b200",
    "dojo_d1",
    "gaussian_hotspots",
    "gb300",
    "preset",
]

#: silicon at ~80 °C: k (W/m/K), ρ (kg/m³), c (J/kg/K)
SILICON = {"conductivity_w_mk": 130.0, "density_kg_m3": 2330.0, "specific_heat_j_kgk": 712.0}
#: OFHC copper
COPPER = {"conductivity_w_mk": 390.0, "density_kg_m3": 8933.0, "specific_heat_j_kgk": 385.0}
#: indium solder TIM1, 50 µm, effective k incl. interfaces (ρ, c of indium)
INDIUM_TIM1 = Interface(50e-6, 25.0, density_kg_m3=7310.0, specific_heat_j_kgk=233.0)
#: thermal grease TIM2, 50 µm
GREASE_TIM2 = Interface(50e-6, 4.0, density_kg_m3=2500.0, specific_heat_j_kgk=1000.0)
#: high-performance grease / phase-change TIM between a bare die and the cold plate, 30 µm
GREASE_TIM1_BARE = Interface(30e-6, 5.0, density_kg_m3=2500.0, specific_heat_j_kgk=1000.0)

T_JUNCTION_MAX_K = 363.15
AREA_FACTOR = 4.0


#: rated power per preset (W), sources in the module docstring
RATED_POWER_W = {"dojo_d1": 400.0, "b200": 1000.0, "gb300": 1400.0}


def _spec(die_xy, lid_xy, cp_xy, power_w, r_cp_k_w) -> PackageSpec:
    lidded = lid_xy is not None
    base = PackageSpec(
        die=Block(die_xy[0], die_xy[1], 0.75e-3, **SILICON),
        tim1=INDIUM_TIM1 if lidded else GREASE_TIM1_BARE,
        lid=Block(lid_xy[0], lid_xy[1], 3.0e-3, **COPPER) if lidded else None,
        tim2=GREASE_TIM2 if lidded else None,
        cold_plate=Block(cp_xy[0], cp_xy[1], 3.0e-3, **COPPER),
        h_w_m2k=1.0e4, area_factor=AREA_FACTOR, power_w=power_w,
        t_junction_max_k=T_JUNCTION_MAX_K, rated_power_w=power_w)
    return base.replace(h_w_m2k=h_for_cold_plate_resistance(base, r_cp_k_w))


@cache
def _dojo() -> PackageSpec:
    return _spec((25.4e-3, 25.4e-3), (45e-3, 45e-3), (70e-3, 70e-3), RATED_POWER_W["dojo_d1"],
                 0.04)


@cache
def _b200() -> PackageSpec:
    return _spec((50e-3, 32e-3), None, (90e-3, 70e-3), RATED_POWER_W["b200"], 0.035)


@cache
def _gb300() -> PackageSpec:
    return _spec((50e-3, 32e-3), None, (90e-3, 70e-3), RATED_POWER_W["gb300"], 0.03)


def dojo_d1(**changes) -> PackageSpec:
    """Dojo-D1-class: 400 W on a 25.4 mm square die, Cu lid 45 mm, Cu cold plate 70 mm
    at 0.04 K/W."""
    return _dojo().replace(**changes) if changes else _dojo()


def b200(**changes) -> PackageSpec:
    """B200-class: 1000 W on two dies modelled as one 50 × 32 mm footprint, bare die (no
    lid) under a 30 µm grease TIM, Cu cold plate 90 × 70 mm at 0.035 K/W."""
    return _b200().replace(**changes) if changes else _b200()


def gb300(**changes) -> PackageSpec:
    """GB300-class: as :func:`b200` at 1400 W with a 0.03 K/W cold plate."""
    return _gb300().replace(**changes) if changes else _gb300()


PRESETS = {"dojo_d1": dojo_d1, "b200": b200, "gb300": gb300}


def preset(name: str, **changes) -> PackageSpec:
    """The preset ``name`` (``dojo_d1``, ``b200``, ``gb300``) with fields replaced."""
    if name not in PRESETS:
        raise InputError(f"package preset {name!r} does not exist; presets: {sorted(PRESETS)}")
    return PRESETS[name](**changes)


def gaussian_hotspots(shape=(32, 32), spots=((0.5, 0.5, 0.1, 4.0),),
                      background: float = 1.0) -> np.ndarray:
    """A relative power-density map ``[iy, ix]`` over the die: background + Gaussian spots.

    spots : ``(x_frac, y_frac, sigma_frac, amplitude)`` per spot, positions and width as
        fractions of the die edge (0..1), amplitude relative to ``background``.
    The map is sampled at pixel centres; :class:`PackageSpec` normalises it to the power.
    """
    ny, nx = shape
    x = (np.arange(nx) + 0.5) / nx
    y = (np.arange(ny) + 0.5) / ny
    X, Y = np.meshgrid(x, y)
    out = np.full((ny, nx), float(background))
    for xf, yf, sf, amp in spots:
        out += amp * np.exp(-((X - xf) ** 2 + (Y - yf) ** 2) / (2.0 * sf ** 2))
    return out
