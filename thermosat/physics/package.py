"""Chip packages: a die / TIM1 / lid / TIM2 / cold-plate stack as a 3D hex mesh, and its hand calc.

Geometry and conventions
------------------------
The stack is centred on the z axis (all footprints centred at x = y = 0 of ``origin``) and
grows upwards from the cold plate::

    z ↑   die_active   (power is dissipated here: a thin layer at the die's active face)
          die          (bulk silicon below the active layer)
          tim1         (die footprint)
          lid          (integrated heat spreader; optional)
          tim2         (lid footprint; present iff the lid is)
          cold_plate   (base plate; its bottom face is the *wetted* face, z = origin z)

The **junction** is the die's top face (the active face, farthest from the coolant). The die
power is a volumetric source (W/m³) in the ``die_active`` layer (``active_thickness_m``,
default 10 µm), uniform or shaped by a hot-spot map. ``junction_temperature`` is the maximum
nodal temperature of that face, ``mean_junction_temperature`` its area mean (K).

Fluid side: heat leaves through the wetted face with an *effective* coefficient
``h_eff = h_w_m2k · area_factor`` (W/m²/K) over the cold-plate footprint, where ``area_factor``
is (overall fin efficiency × wetted area) / footprint area of the channels or pins.

Hand calculation (:func:`hand_resistance`)
------------------------------------------
A series network from the mean junction temperature to the fluid:

* ``R_die = (t − t_a)/(k A_d) + t_a/(2 k A_d)`` (uniform generation in the active layer
  t_a, adiabatic top);
* ``R_tim1 = t_1/(k_1 A_d)``; ``R_lid = t_L/(k_L A_L)``; ``R_tim2 = t_2/(k_2 A_L)``;
  ``R_cold_plate = t_C/(k_C A_C)``; ``R_convection = 1/(h_eff A_C)``;
* spreading resistances where the footprint grows (die → lid, lid → cold plate).

Spreading uses the exact Fourier-series solution for a centred rectangular isoflux source
on a rectangular flux channel with adiabatic sides and a uniform film coefficient on the
far face (Muzychka, Culham & Yovanovich, *J. Electron. Packag.* 125 (2003) 178–185;
Yovanovich, Muzychka & Culham, *J. Thermophys. Heat Transf.* 13 (1999) 495–500), extended
to several layers sharing the channel footprint by the standard per-mode impedance
recursion (Muzychka, Yovanovich & Culham, *J. Thermophys. Heat Transf.* 18 (2004) 45–51).
Layers are grouped by footprint into channels; a channel whose far side is another, larger
channel sees it as a uniform film coefficient ``h = 1/(A R_below)`` (the staged approach
of Lee et al. 1995 and Song et al. 1994). This is exact for an isoflux source when every layer below the die
shares one footprint. Two approximations remain, both observed to make the hand value
*high* (conservative) against converged FE: (1) the die and TIM1 are taken as delivering a
uniform flux into the lid, while the die's lateral conduction redistributes it (FE ~0.5–1 %
lower); (2) with a lid smaller than the cold plate, the lid is taken to deliver a uniform
flux over its footprint into the cold plate, and the cold plate to act as a uniform film
under the lid (FE ~1 % lower for the Dojo-class stack of ``validation/package_resistance.py``,
die 25 mm / lid 45 × 2.5 mm / cold plate 70 mm; up to ~7 % lower for a thin lid much wider
than the die in one direction at high h).
The circular-equivalent closed form of Lee, Song, Au & Moran (1995, ASME/JSME Thermal Eng.
Conf. 4, 199–206) is available as ``spreading="lee"`` for comparison.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from thermosat.common.errors import InputError

__all__ = [
    "Block",
    "Interface",
    "JunctionResistance",
    "Package",
    "PackageSpec",
    "build_package",
    "h_for_cold_plate_resistance",
    "hand_resistance",
    "junction_to_fluid_resistance",
    "package_mesh",
    "spreading_resistance_lee",
    "spreading_resistance_series",
]


# ----------------------------------------------------------------------------- the spec
@dataclass(frozen=True)
class Block:
    """A solid layer (die, lid, cold-plate base): footprint, thickness and material (SI).

    size_x_m, size_y_m : footprint (m); thickness_m : m; conductivity_w_mk : W/m/K;
    density_kg_m3 : kg/m³; specific_heat_j_kgk : J/kg/K.
    """

    size_x_m: float
    size_y_m: float
    thickness_m: float
    conductivity_w_mk: float
    density_kg_m3: float
    specific_heat_j_kgk: float

    @property
    def area_m2(self) -> float:
        return self.size_x_m * self.size_y_m

    @property
    def volume_m3(self) -> float:
        return self.area_m2 * self.thickness_m


@dataclass(frozen=True)
class Interface:
    """A thermal interface material layer (bond line) taking the footprint of the part above.

    thickness_m : bond-line thickness (m); conductivity_w_mk : effective k (W/m/K, including
    its contact resistances); density_kg_m3, specific_heat_j_kgk : for transients (defaults
    of a filled grease; the TIM heat capacity is negligible against lid and cold plate).
    """

    thickness_m: float
    conductivity_w_mk: float
    density_kg_m3: float = 2500.0
    specific_heat_j_kgk: float = 1000.0

    @property
    def area_resistance_m2k_w(self) -> float:
        """Bond-line resistance t/k (m²K/W)."""
        return self.thickness_m / self.conductivity_w_mk


def _check(name: str, value, lo: float, hi: float, unit: str, *, lo_open: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"PackageSpec.{name}: expected a number in {unit}, got {value!r}") from None
    lo_ok = v > lo if lo_open else v >= lo
    if not math.isfinite(v) or not lo_ok or v > hi:
        br = "(" if lo_open else "["
        raise InputError(f"PackageSpec.{name}: {value!r} {unit} is outside the allowed range "
                         f"{br}{lo:g}, {hi:g}] {unit}")
    return v


_BLOCK_LIMITS = {  # field -> (lo, hi, unit)
    "size_x_m": (0.0, 1.0, "m"),
    "size_y_m": (0.0, 1.0, "m"),
    "thickness_m": (0.0, 0.05, "m"),
    "conductivity_w_mk": (0.0, 5000.0, "W/m/K"),
    "density_kg_m3": (0.0, 30000.0, "kg/m³"),
    "specific_heat_j_kgk": (0.0, 1.0e5, "J/kg/K"),
}
_IFACE_LIMITS = {
    "thickness_m": (0.0, 1.0e-3, "m"),
    "conductivity_w_mk": (0.0, 5000.0, "W/m/K"),
    "density_kg_m3": (0.0, 30000.0, "kg/m³"),
    "specific_heat_j_kgk": (0.0, 1.0e5, "J/kg/K"),
}


@dataclass(frozen=True)
class PackageSpec:
    """A chip package stack and its operating point (SI units, K).

    Attributes
    ----------
    die : :class:`Block` — silicon die; the junction is its top (active) face
    tim1 : :class:`Interface` between die and lid (or cold plate if ``lid`` is None)
    lid : :class:`Block` or None (bare die) — heat spreader; footprint ⊇ die footprint
    tim2 : :class:`Interface` or None — between lid and cold plate; given iff ``lid`` is
    cold_plate : :class:`Block` — cold-plate base; footprint ⊇ lid (or die) footprint
    h_w_m2k : fluid-side heat-transfer coefficient (W/m²/K) on the wetted surface
    area_factor : (fin efficiency × wetted area) / cold-plate footprint (–), (0, 1000]
    power_w : die power (W), [0, 1e5]
    power_map : optional 2D array ``[iy, ix]`` of relative power density over the die
        footprint (row 0 at the die's y-min edge, column 0 at its x-min edge), ≥ 0, not all
        zero; it is normalised so that the die dissipates exactly ``power_w``
    active_thickness_m : thickness of the heat-generating layer at the junction face (m),
        (0, die thickness]; equal to the die thickness = power through the whole die
    t_junction_max_k : junction limit (K), [250, 600]
    rated_power_w : the part's rated (maximum sustained) power (W), or None = no rating;
        running above it is a violated limit like the junction temperature
    """

    die: Block
    tim1: Interface
    lid: Block | None
    tim2: Interface | None
    cold_plate: Block
    h_w_m2k: float
    power_w: float
    area_factor: float = 1.0
    power_map: np.ndarray | None = field(default=None, compare=False)
    active_thickness_m: float = 10e-6
    t_junction_max_k: float = 363.15
    rated_power_w: float | None = None

    def __post_init__(self):
        for role in ("die", "lid", "cold_plate"):
            blk = getattr(self, role)
            if blk is None and role == "lid":
                continue
            if not isinstance(blk, Block):
                raise InputError(f"PackageSpec.{role}: expected a Block, got "
                                 f"{type(blk).__name__}")
            for f, (lo, hi, unit) in _BLOCK_LIMITS.items():
                _check(f"{role}.{f}", getattr(blk, f), lo, hi, unit)
        for role in ("tim1", "tim2"):
            tim = getattr(self, role)
            if tim is None and role == "tim2":
                continue
            if not isinstance(tim, Interface):
                raise InputError(f"PackageSpec.{role}: expected an Interface, got "
                                 f"{type(tim).__name__}")
            for f, (lo, hi, unit) in _IFACE_LIMITS.items():
                _check(f"{role}.{f}", getattr(tim, f), lo, hi, unit)
        if (self.lid is None) != (self.tim2 is None):
            raise InputError("PackageSpec.tim2: give tim2 exactly when a lid is given (lid "
                             f"is {'None' if self.lid is None else 'set'}, tim2 is "
                             f"{'None' if self.tim2 is None else 'set'})")
        _check("h_w_m2k", self.h_w_m2k, 0.0, 1.0e7, "W/m²/K")
        _check("area_factor", self.area_factor, 0.0, 1000.0, "-")
        _check("power_w", self.power_w, 0.0, 1.0e5, "W", lo_open=False)
        _check("active_thickness_m", self.active_thickness_m, 0.0, self.die.thickness_m, "m")
        _check("t_junction_max_k", self.t_junction_max_k, 250.0, 600.0, "K", lo_open=False)
        if self.rated_power_w is not None:
            _check("rated_power_w", self.rated_power_w, 0.0, 1.0e5, "W")
        # footprints must nest: die ⊆ lid ⊆ cold plate (all centred)
        chain = [("die", self.die)] + ([("lid", self.lid)] if self.lid is not None else []) \
            + [("cold_plate", self.cold_plate)]
        for (na, a), (nb, b) in itertools.pairwise(chain):
            for ax in ("size_x_m", "size_y_m"):
                if getattr(a, ax) > getattr(b, ax) * (1 + 1e-12):
                    raise InputError(
                        f"PackageSpec.{nb}.{ax}: {getattr(b, ax):g} m is smaller than "
                        f"{na}.{ax} = {getattr(a, ax):g} m; footprints must nest "
                        f"(die ⊆ lid ⊆ cold plate)")
        if self.power_map is not None:
            try:
                pm = np.array(self.power_map, dtype=float)
            except (TypeError, ValueError):
                raise InputError("PackageSpec.power_map: expected a 2D array of numbers "
                                 "(relative power density, -)") from None
            if pm.ndim != 2 or min(pm.shape) < 1 or max(pm.shape) > 2000:
                raise InputError(f"PackageSpec.power_map: expected a 2D array [iy, ix] with "
                                 f"1..2000 entries per axis, got shape {pm.shape}")
            if not np.all(np.isfinite(pm)) or np.any(pm < 0) or not np.any(pm > 0):
                raise InputError("PackageSpec.power_map: entries must be finite and ≥ 0 "
                                 "(relative power density, -) with at least one > 0")
            pm.setflags(write=False)
            object.__setattr__(self, "power_map", pm)

    # --- derived quantities ------------------------------------------------------------------
    @property
    def h_eff_w_m2k(self) -> float:
        """Effective coefficient on the cold-plate footprint, h · area_factor (W/m²/K)."""
        return self.h_w_m2k * self.area_factor

    @property
    def fluid_conductance_w_k(self) -> float:
        """h_eff · A_cold_plate (W/K)."""
        return self.h_eff_w_m2k * self.cold_plate.area_m2

    @property
    def heat_capacity_j_k(self) -> float:
        """Total heat capacity of the stack Σ ρ c V (J/K)."""
        total = 0.0
        for blk in (self.die, self.lid, self.cold_plate):
            if blk is not None:
                total += blk.density_kg_m3 * blk.specific_heat_j_kgk * blk.volume_m3
        for tim, fp in ((self.tim1, self.die), (self.tim2, self.lid)):
            if tim is not None:
                total += (tim.density_kg_m3 * tim.specific_heat_j_kgk * tim.thickness_m
                          * fp.area_m2)
        return total

    def replace(self, **changes) -> PackageSpec:
        """A copy with fields replaced (validated again)."""
        import dataclasses

        return dataclasses.replace(self, **changes)


# ----------------------------------------------------------------------------- spreading
def _mode_impedance(beta: np.ndarray, layers, z_bottom: float) -> np.ndarray:
    """Surface impedance θ/q (m²K/W) of Fourier modes ``beta`` (1/m) at the top of ``layers``.

    ``layers`` = [(thickness_m, k), ...] from the top down; ``z_bottom`` = impedance under the
    last layer (1/h, m²K/W, uniform for all modes).
    """
    Z = np.full(beta.shape, float(z_bottom))
    for t, k in reversed(list(layers)):
        th = np.tanh(beta * t)
        kb = k * beta
        Z = (Z + th / kb) / (1.0 + Z * kb * th)
    return Z


def spreading_resistance_series(source_x_m: float, source_y_m: float, channel_x_m: float,
                                channel_y_m: float, layers, h_bottom_w_m2k: float,
                                n_terms: int = 300) -> float:
    """Spreading resistance (K/W) of a centred rectangular isoflux source on a flux channel.

    Mean source temperature minus the 1D value, per watt: the exact Fourier-series solution
    (Muzychka, Culham & Yovanovich 2003) with adiabatic sides, the source ``source_x_m`` ×
    ``source_y_m`` on the top face of a ``channel_x_m`` × ``channel_y_m`` channel made of
    ``layers = [(thickness_m, conductivity_w_mk), ...]`` (top down) and a uniform film
    coefficient ``h_bottom_w_m2k`` (W/m²/K) on the bottom face. ``n_terms`` modes per axis
    (only even modes are non-zero for a centred source); the truncation error of the mean is
    O(1/n_terms²).
    """
    a, b, c, d = (float(v) for v in (channel_x_m, channel_y_m, source_x_m, source_y_m))
    if c > a * (1 + 1e-12) or d > b * (1 + 1e-12):
        raise InputError("spreading_resistance_series: the source must fit in the channel")
    m = 2.0 * np.arange(n_terms + 1)              # only even modes survive for a centred source
    lam = m * np.pi / a
    dl = m * np.pi / b
    # ∫_source cos(λ x) dx / c over the centred source, and the norm ∫_0^a cos² = a/2 (a if 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ix = np.where(m == 0, 1.0, 2.0 * np.cos(lam * a / 2) * np.sin(lam * c / 2) / (lam * c))
        iy = np.where(m == 0, 1.0, 2.0 * np.cos(dl * b / 2) * np.sin(dl * d / 2) / (dl * d))
    nx = np.where(m == 0, a, a / 2)
    ny = np.where(m == 0, b, b / 2)
    LAM, DL = np.meshgrid(lam, dl, indexing="ij")
    beta = np.hypot(LAM, DL)
    beta[0, 0] = 1.0                                 # avoids 0/0; the (0, 0) term is zeroed below
    Z = _mode_impedance(beta, layers, 1.0 / float(h_bottom_w_m2k))
    terms = (ix ** 2 / nx)[:, None] * (iy ** 2 / ny)[None, :] * Z
    terms[0, 0] = 0.0
    return float(terms.sum())


def spreading_resistance_lee(source_area_m2: float, plate_area_m2: float, thickness_m: float,
                             conductivity_w_mk: float, h_w_m2k: float) -> float:
    """Average spreading resistance (K/W), Lee, Song, Au & Moran (1995) closed form.

    Circular equivalents a = √(A_s/π), b = √(A_p/π); ε = a/b, τ = t/b, Bi = h b/k,
    λ = π + 1/(√π ε), Φ = (tanh λτ + λ/Bi)/(1 + (λ/Bi) tanh λτ),
    ψ_avg = ½ (1 − ε)^{3/2} Φ, R_sp = ψ_avg/(√π k a).
    """
    a = math.sqrt(source_area_m2 / math.pi)
    b = math.sqrt(plate_area_m2 / math.pi)
    eps, tau, bi = a / b, thickness_m / b, h_w_m2k * b / conductivity_w_mk
    lam = math.pi + 1.0 / (math.sqrt(math.pi) * eps)
    th = math.tanh(lam * tau)
    phi = (th + lam / bi) / (1.0 + lam / bi * th)
    psi = 0.5 * (1.0 - eps) ** 1.5 * phi
    return psi / (math.sqrt(math.pi) * conductivity_w_mk * a)


def _stack(spec: PackageSpec):
    """Layers top-down as (key, footprint Block, thickness, k) — the die counted whole."""
    out = [("die", spec.die, spec.die.thickness_m, spec.die.conductivity_w_mk),
           ("tim1", spec.die, spec.tim1.thickness_m, spec.tim1.conductivity_w_mk)]
    if spec.lid is not None:
        out += [("lid", spec.lid, spec.lid.thickness_m, spec.lid.conductivity_w_mk),
                ("tim2", spec.lid, spec.tim2.thickness_m, spec.tim2.conductivity_w_mk)]
    out.append(("cold_plate", spec.cold_plate, spec.cold_plate.thickness_m,
                spec.cold_plate.conductivity_w_mk))
    return out


def _same_fp(a: Block, b: Block) -> bool:
    return (math.isclose(a.size_x_m, b.size_x_m, rel_tol=1e-9)
            and math.isclose(a.size_y_m, b.size_y_m, rel_tol=1e-9))


def hand_resistance(spec: PackageSpec, *, t_fluid_k: float | None = None,
                    spreading: str = "series", n_terms: int = 300) -> dict[str, float]:
    """1D resistance network from the mean junction temperature to the fluid (K/W).

    Returns a dict with ``R_die, R_tim1, R_lid, R_lid_spreading, R_tim2, R_cold_plate,
    R_cold_plate_spreading, R_convection`` (the lid entries are 0 without a lid),
    ``R_cold_plate_total`` (cold-plate top to fluid: base + spreading + convection),
    ``R_jf`` (their sum, K/W) and, when ``t_fluid_k`` (K) is given, ``T_j_mean_k`` =
    T_f + P·R_jf (K). ``R_<x>_spreading`` is the spreading resistance of the channel whose
    top layer is <x> (a channel = consecutive layers sharing a footprint: the lid channel
    includes TIM2; when lid and cold plate share a footprint they form one channel and its
    spreading is reported as ``R_lid_spreading``).

    spreading : ``"series"`` (exact Fourier series per channel, default) or ``"lee"``
        (Lee et al. 1995 circular closed form on the channel's top layer, the rest of the
        channel lumped into its film coefficient).
    """
    if spreading not in ("series", "lee"):
        raise InputError(f"hand_resistance spreading: {spreading!r} is not 'series' or 'lee'")
    die = spec.die
    ad = die.area_m2
    ta = spec.active_thickness_m
    out = {k: 0.0 for k in ("R_die", "R_tim1", "R_lid", "R_lid_spreading", "R_tim2",
                            "R_cold_plate", "R_cold_plate_spreading", "R_convection")}
    out["R_die"] = ((die.thickness_m - ta) / (die.conductivity_w_mk * ad)
                    + ta / (2.0 * die.conductivity_w_mk * ad))
    r1d = {key: t / (k * fp.area_m2) for key, fp, t, k in _stack(spec)}
    for key in ("tim1", "lid", "tim2", "cold_plate"):
        if key in r1d:
            out[f"R_{key}"] = r1d[key]
    out["R_convection"] = 1.0 / spec.fluid_conductance_w_k

    # channels: consecutive layers with one footprint (top down), the die's first
    channels: list[tuple[Block, list]] = []
    for key, fp, t, k in _stack(spec):
        if channels and _same_fp(channels[-1][0], fp):
            channels[-1][1].append((key, t, k))
        else:
            channels.append((fp, [(key, t, k)]))
    # from the bottom up: R_below = resistance from the channel's bottom face (mean) to fluid
    r_below = out["R_convection"]
    for i in range(len(channels) - 1, 0, -1):
        fp, layers = channels[i]
        src = channels[i - 1][0]
        h_b = 1.0 / (fp.area_m2 * r_below)
        if spreading == "series":
            rsp = spreading_resistance_series(src.size_x_m, src.size_y_m, fp.size_x_m,
                                              fp.size_y_m, [(t, k) for _, t, k in layers], h_b,
                                              n_terms)
        else:
            _, t0, k0 = layers[0]
            rest = sum(t / (k * fp.area_m2) for _, t, k in layers[1:]) + r_below
            rsp = spreading_resistance_lee(src.area_m2, fp.area_m2, t0, k0,
                                           1.0 / (fp.area_m2 * rest))
        out[f"R_{layers[0][0]}_spreading"] = rsp
        r_below += rsp + sum(r1d[key] for key, _, _ in layers)
    out["R_cold_plate_total"] = (out["R_cold_plate"] + out["R_cold_plate_spreading"]
                                 + out["R_convection"])
    out["R_jf"] = (out["R_die"] + out["R_tim1"] + out["R_lid"] + out["R_lid_spreading"]
                   + out["R_tim2"] + out["R_cold_plate_total"])
    if t_fluid_k is not None:
        out["T_j_mean_k"] = float(t_fluid_k) + spec.power_w * out["R_jf"]
    return out


def h_for_cold_plate_resistance(spec: PackageSpec, r_cold_plate_k_w: float) -> float:
    """Fluid-side h (W/m²/K, with the spec's ``area_factor``) that makes ``R_cold_plate_total``
    (cold-plate top face, mean over the lid/die contact, to fluid; K/W) equal the target."""
    from scipy.optimize import brentq

    r_floor = hand_resistance(spec.replace(h_w_m2k=1.0e6))["R_cold_plate_total"]
    if not r_cold_plate_k_w > r_floor:
        raise InputError(f"h_for_cold_plate_resistance: {r_cold_plate_k_w:g} K/W is below the "
                         f"conduction floor {r_floor:.4g} K/W of this cold-plate base")

    def f(log_h):
        s = spec.replace(h_w_m2k=math.exp(log_h))
        return hand_resistance(s)["R_cold_plate_total"] - r_cold_plate_k_w

    return math.exp(brentq(f, math.log(1e-2), math.log(1e6), xtol=1e-10, rtol=1e-12))


# ----------------------------------------------------------------------------- the mesh
_HEX = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0],
                 [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]])
#: outward quad faces of a hex as (di, dj, dk) corner offsets, and the neighbour direction
_FACES = {
    "xmin": ([(0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0)], (-1, 0, 0)),
    "xmax": ([(1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)], (1, 0, 0)),
    "ymin": ([(0, 0, 0), (1, 0, 0), (1, 0, 1), (0, 0, 1)], (0, -1, 0)),
    "ymax": ([(0, 1, 0), (0, 1, 1), (1, 1, 1), (1, 1, 0)], (0, 1, 0)),
    "zmin": ([(0, 0, 0), (0, 1, 0), (1, 1, 0), (1, 0, 0)], (0, 0, -1)),
    "zmax": ([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1)], (0, 0, 1)),
}


def _axis_lines(half_sizes, h: float, grading: float) -> np.ndarray:
    """Grid lines from −max to +max through 0 and every ±half size; cells of size h inside the
    smallest half size, growing by ``grading`` per cell outwards from there."""
    hs = sorted({round(float(s), 15) for s in half_sizes})
    merged = [hs[0]]
    for s in hs[1:]:
        if s > merged[-1] * (1 + 1e-9):
            merged.append(s)
    n0 = max(1, math.ceil(merged[0] / h - 1e-9))
    pos = list(np.linspace(0.0, merged[0], n0 + 1))
    size = merged[0] / n0
    for lo, hi in itertools.pairwise(merged):
        length = hi - lo
        sizes, s, total = [], size, 0.0
        while total < length * (1 - 1e-9):
            s *= grading
            sizes.append(s)
            total += s
        if len(sizes) > 1 and sum(sizes) - length > 0.5 * sizes[-1]:
            sizes.pop()                      # drop an overshooting last cell, rescale instead
        sizes = np.asarray(sizes) * (length / sum(sizes))
        pos += list(lo + np.cumsum(sizes))
        size = sizes[-1]
    pos = np.asarray(pos)
    pos[-1] = merged[-1]
    return np.concatenate([-pos[:0:-1], pos])


@dataclass(frozen=True)
class _Layer:
    name: str
    fp: Block
    thickness: float
    n: int


def _layers(spec: PackageSpec, h: float) -> list[_Layer]:
    def n_of(t):
        return max(1, math.ceil(t / h - 1e-9))

    cp, die = spec.cold_plate, spec.die
    out = [_Layer("cold_plate", cp, cp.thickness_m, n_of(cp.thickness_m))]
    if spec.lid is not None:
        out += [_Layer("tim2", spec.lid, spec.tim2.thickness_m, 1),
                _Layer("lid", spec.lid, spec.lid.thickness_m, n_of(spec.lid.thickness_m))]
    out.append(_Layer("tim1", die, spec.tim1.thickness_m, 1))
    bulk = die.thickness_m - spec.active_thickness_m
    if bulk > 1e-9 * die.thickness_m:
        out.append(_Layer("die_bulk", die, bulk, n_of(bulk)))
        out.append(_Layer("die_active", die, spec.active_thickness_m, 1))
    else:
        out.append(_Layer("die_active", die, die.thickness_m, n_of(die.thickness_m)))
    return out


def package_mesh(spec: PackageSpec, mesh_density: int = 16, *, grading: float = 1.2,
                 origin=(0.0, 0.0, 0.0)):
    """The hex8 mesh of ``spec`` (only solid cells), see the module docstring for the layout.

    mesh_density : cells across the die's shorter edge (≥ 2); cells of that size cover the
        die, grow by ``grading`` (≥ 1) per cell outside it; thick layers get
        ⌈t/h⌉ cells through their thickness, TIMs and the active layer one.

    Regions: ``die`` (= ``die_bulk`` ∪ ``die_active``), ``die_active``, ``tim1``, ``lid``,
    ``tim2``, ``cold_plate``. Boundaries (quad4, outward): ``wetted`` (cold-plate bottom),
    ``junction`` (die top), ``exterior`` (every free face, including those two).
    """
    from thermosat.mesh.core import Boundary, Mesh

    if isinstance(mesh_density, bool) or not isinstance(mesh_density, (int, np.integer)) \
            or mesh_density < 2:
        raise InputError(f"package mesh_density: expected an integer ≥ 2 (cells across the die), "
                         f"got {mesh_density!r}")
    if not (isinstance(grading, (int, float)) and 1.0 <= grading <= 3.0):
        raise InputError(f"package grading: expected a number in [1, 3], got {grading!r}")
    h = min(spec.die.size_x_m, spec.die.size_y_m) / mesh_density
    fps = [spec.die, spec.cold_plate] + ([spec.lid] if spec.lid is not None else [])
    xs = _axis_lines([b.size_x_m / 2 for b in fps], h, grading)
    ys = _axis_lines([b.size_y_m / 2 for b in fps], h, grading)
    layers = _layers(spec, h)
    zs = [0.0]
    slab_layer = []
    for li, lay in enumerate(layers):
        dz = lay.thickness / lay.n
        zs += [zs[-1] + dz * (i + 1) for i in range(lay.n)]
        zs[-1] = sum(L.thickness for L in layers[:li + 1])
        slab_layer += [li] * lay.n
    zs = np.asarray(zs)
    slab_layer = np.asarray(slab_layer)
    nx, ny, nz = len(xs) - 1, len(ys) - 1, len(zs) - 1
    xc, yc = 0.5 * (xs[1:] + xs[:-1]), 0.5 * (ys[1:] + ys[:-1])
    # solid[k, j, i]
    inplane = np.stack([(np.abs(yc)[:, None] < L.fp.size_y_m / 2)
                        & (np.abs(xc)[None, :] < L.fp.size_x_m / 2) for L in layers])
    solid = inplane[slab_layer]

    def nid(i, j, k):
        return (k * (ny + 1) + j) * (nx + 1) + i

    K, J, I = np.nonzero(solid)
    cells = np.stack([nid(I + di, J + dj, K + dk) for di, dj, dk in _HEX], axis=1)
    cell_layer = slab_layer[K]
    pad = np.zeros((nz + 2, ny + 2, nx + 2), bool)
    pad[1:-1, 1:-1, 1:-1] = solid
    faces = {}
    for fname, (corners, (di, dj, dk)) in _FACES.items():
        free = ~pad[K + 1 + dk, J + 1 + dj, I + 1 + di]
        faces[fname] = (np.stack([nid(I + a, J + b, K + c) for a, b, c in corners], axis=1),
                        free)
    exterior = np.concatenate([f[free] for f, free in faces.values()])
    names = [L.name for L in layers]
    wet = faces["zmin"][0][(K == 0)]
    junction = faces["zmax"][0][(K == nz - 1)]
    # compact to the nodes used
    used = np.unique(cells)
    remap = np.full((nx + 1) * (ny + 1) * (nz + 1), -1, np.int64)
    remap[used] = np.arange(used.size)
    kk, rem = np.divmod(used, (ny + 1) * (nx + 1))
    jj, ii = np.divmod(rem, nx + 1)
    pts = np.stack([xs[ii], ys[jj], zs[kk]], axis=1) + np.asarray(origin, float)
    regions = {}
    for li, name in enumerate(names):
        regions[name] = np.flatnonzero(cell_layer == li)
    die_cells = [regions[n] for n in ("die_bulk", "die_active") if n in regions]
    regions["die"] = np.sort(np.concatenate(die_cells))
    regions.pop("die_bulk", None)
    bnd = {"wetted": Boundary(remap[wet], "quad4"),
           "junction": Boundary(remap[junction], "quad4"),
           "exterior": Boundary(remap[exterior], "quad4")}
    return Mesh(pts, remap[cells], "hex8", regions, bnd)


# ----------------------------------------------------------------------------- the model
def _power_weights(spec: PackageSpec, xs_cell: np.ndarray, ys_cell: np.ndarray) -> np.ndarray:
    """Mean relative power density of the map over each cell footprint (exact overlap)."""
    if spec.power_map is None:
        return np.ones(len(xs_cell))
    pm = spec.power_map
    npy, npx = pm.shape
    dx, dy = spec.die.size_x_m, spec.die.size_y_m
    bx = np.linspace(-dx / 2, dx / 2, npx + 1)
    by = np.linspace(-dy / 2, dy / 2, npy + 1)

    def overlap(lo, hi, edges):   # (ncell, npix) overlap length / cell length
        ov = np.clip(np.minimum(hi[:, None], edges[None, 1:])
                     - np.maximum(lo[:, None], edges[None, :-1]), 0.0, None)
        return ov / (hi - lo)[:, None]

    ox = overlap(xs_cell[:, 0], xs_cell[:, 1], bx)
    oy = overlap(ys_cell[:, 0], ys_cell[:, 1], by)
    return np.einsum("cj,ji,ci->c", oy, pm, ox)


class JunctionResistance(NamedTuple):
    """Junction-to-fluid resistances from a solve (K/W): by max and by mean junction T."""

    max_k_w: float
    mean_k_w: float


@dataclass(eq=False)
class Package:
    """Handle of a package built into a model (global node numbering, SI, K).

    Attributes
    ----------
    part : part name in the model (regions and boundaries are ``"<part>/<name>"``)
    spec : the :class:`PackageSpec`
    junction_nodes : global node ids of the die top (junction) face
    junction_facets : (n, 4) global quad4 facets of the junction face
    wetted_facets : (n, 4) global facets of the cold-plate wetted (bottom) face
    wetted_facet_type : ``"quad4"``
    wetted_nodes : global node ids of the wetted face
    wetted_area_m2 : footprint area of the wetted face (m²)
    h_eff_w_m2k : effective film coefficient on it, h · area_factor (W/m²/K)
    heat_capacity_j_k : Σ ρ c V of the stack (J/K)
    source : the die-power :class:`~thermosat.terms.loads.HeatInput` (per-cell W/m³)
    """

    part: str
    spec: PackageSpec
    junction_nodes: np.ndarray
    junction_facets: np.ndarray
    junction_facet_areas: np.ndarray
    wetted_facets: np.ndarray
    wetted_nodes: np.ndarray
    wetted_area_m2: float
    h_eff_w_m2k: float
    heat_capacity_j_k: float
    source: object
    q_per_watt: np.ndarray
    power_w: float
    wetted_facet_type: str = "quad4"

    @property
    def wetted_boundary(self) -> str:
        """Model boundary name of the wetted face (for ``Model.convection`` etc.)."""
        return f"{self.part}/wetted"

    @property
    def junction_boundary(self) -> str:
        return f"{self.part}/junction"

    def junction_temperature(self, T) -> float:
        """Maximum junction (die top face) temperature (K); ``T`` a result or global array."""
        return float(np.max(_as_array(T)[self.junction_nodes]))

    def mean_junction_temperature(self, T) -> float:
        """Area-mean junction temperature (K) (exact for the bilinear field on the face)."""
        Tf = _as_array(T)[self.junction_facets].mean(axis=1)
        return float(np.dot(Tf, self.junction_facet_areas) / self.junction_facet_areas.sum())

    def set_power(self, model, watts: float) -> None:
        """Change the die power (W) in place; takes effect at the next solve (no rebuild)."""
        if model is not None and self.part not in getattr(model, "parts", {}):
            raise InputError(f"set_power: package part {self.part!r} is not in this model")
        w = _check("power_w", watts, 0.0, 1.0e5, "W", lo_open=False)
        self.power_w = w
        self.source.q = self.q_per_watt * w

    def junction_margin_k(self, T) -> float:
        """``t_junction_max_k`` minus the max junction temperature (K); negative = over limit."""
        return self.spec.t_junction_max_k - self.junction_temperature(T)


def _as_array(T) -> np.ndarray:
    return np.asarray(getattr(T, "T", T), float)


def build_package(model, name: str, spec: PackageSpec, *, mesh_density: int = 16,
                  grading: float = 1.2, origin=(0.0, 0.0, 0.0),
                  fluid_temperature_k: float | None = None) -> Package:
    """Add ``spec`` to ``model`` as part ``name`` and return its :class:`Package` handle.

    Adds the hex mesh (:func:`package_mesh`), one material per region (k, ρ, c), and the die
    power as a per-cell volumetric source in ``die_active`` (a
    :class:`~thermosat.terms.loads.HeatInput` whose q is scaled by :meth:`Package.set_power`).
    With ``fluid_temperature_k`` (K) the wetted face also gets convection h_eff (T − T_f),
    so the package solves on its own; otherwise the coolant loop couples to
    ``Package.wetted_facets``.
    """
    from thermosat.fem.integration import CellSet
    from thermosat.terms.loads import HeatInput

    if not isinstance(spec, PackageSpec):
        raise InputError(f"build_package: spec must be a PackageSpec, got {type(spec).__name__}")
    mesh = package_mesh(spec, mesh_density, grading=grading, origin=origin)
    part = model.add_part(name, mesh)
    for region, mat in (("die", spec.die), ("tim1", spec.tim1), ("lid", spec.lid),
                        ("tim2", spec.tim2), ("cold_plate", spec.cold_plate)):
        if mat is None:
            continue
        model.material(f"{name}/{region}", conductivity=mat.conductivity_w_mk,
                       density=mat.density_kg_m3, specific_heat=mat.specific_heat_j_kgk)
    # die power: per-cell W/m³ in the active layer, normalised to 1 W
    act = mesh.region("die_active")
    conn = mesh.cells[act].astype(np.int64) + part.offset
    points = model.points
    cells = CellSet(points, conn, "hex8", 2)
    x = mesh.points[mesh.cells[act]] - np.asarray(origin, float)
    w = _power_weights(spec, np.stack([x[:, :, 0].min(1), x[:, :, 0].max(1)], 1),
                       np.stack([x[:, :, 1].min(1), x[:, :, 1].max(1)], 1))
    q_unit = w / float(np.dot(w, cells.measure))
    source = HeatInput(cells, q_unit * spec.power_w, f"{name}:die_power")
    model.add_term(source)
    if fluid_temperature_k is not None:
        model.convection(f"{name}/wetted", spec.h_eff_w_m2k, fluid_temperature_k)
    off = part.offset
    jf = mesh.boundary("junction").facets.astype(np.int64)
    jp = mesh.points[jf]
    j_area = np.abs((jp[:, 2, 0] - jp[:, 0, 0]) * (jp[:, 2, 1] - jp[:, 0, 1]))
    wf = mesh.boundary("wetted").facets.astype(np.int64) + off
    return Package(part=name, spec=spec, junction_nodes=np.unique(jf) + off,
                   junction_facets=jf + off, junction_facet_areas=j_area,
                   wetted_facets=wf, wetted_nodes=np.unique(wf),
                   wetted_area_m2=spec.cold_plate.area_m2, h_eff_w_m2k=spec.h_eff_w_m2k,
                   heat_capacity_j_k=spec.heat_capacity_j_k, source=source,
                   q_per_watt=q_unit, power_w=float(spec.power_w))


def junction_to_fluid_resistance(result, package: Package, t_fluid_k: float,
                                 power_w: float | None = None) -> JunctionResistance:
    """(T_j,max − T_f)/P and (T_j,mean − T_f)/P (K/W) from a solve; P defaults to the
    package's current power (W)."""
    p = package.power_w if power_w is None else float(power_w)
    if not p > 0:
        raise InputError(f"junction_to_fluid_resistance: power {p!r} W must be > 0")
    return JunctionResistance((package.junction_temperature(result) - t_fluid_k) / p,
                              (package.mean_junction_temperature(result) - t_fluid_k) / p)
