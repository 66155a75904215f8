"""Where the radiator sits relative to the panel (issue 14 item 1): four placements, each
with its own geometry (hence its own view factors, from the surface exchange) and its stated
hinge/boom mass.

Frame as in :mod:`thermosat.satellite.geometry`: panel in z = 0, cells facing the Sun (+z);
``along`` is the axis of the panel's long edges, ``across`` the other in-plane axis.

``beside`` (a, today's)
    Two wings hung from the panel's long edges, perpendicular to the panel towards the shaded
    side (−z), inner faces looking at each other across the panel's hot back face.
``outboard`` (b)
    Two wings beyond the long edges, in the panel plane's extension: each is a plate spanned
    by the outward ``across`` direction and the Sun line (z), centred on the panel plane
    (z ∈ [−D/2, D/2]), at mid-length of the edge, its root :data:`OUTBOARD_ARM_M` outside the
    edge. Both faces are edge-on to the Sun (normal ∥ ``along``) and see the panel only
    edge-on: the wing's mid-line lies in the panel's plane, so the panel's cosine towards a
    wing point is |z|/r with |z| ≤ D/2 against distances of metres — the wing–panel view
    factor is small (the tests measure it). Both faces radiate and take part in the
    exchange.
``boom`` (c)
    One flat two-sided radiator (two halves, one per loop section) on a boom of length
    ``boom_length_m`` behind the panel centre: the plate spanned by ``along`` and z through the
    panel's centre line, its top edge ``boom_length_m`` behind the panel (z = −b), depth D.
    Edge-on to the Sun (normal ∥ ``across``); it sees the panel back and the bus at a distance.
    The coolant reaches it through transfer lines whose length follows the geometry (the loop
    graph's transfer edges run from the packages behind the panel to the radiator), so the
    extra ≈ 2 b of line is in the loop hydraulics.
``panel_back`` (d, the article's concept)
    No wings: the radiator is area on the panel itself — a strip of the sun-pointing panel
    without cells (``panel_radiator_area_m2``), its back (the shaded face) and its front
    radiating, the loop bonded to its back sheet; sized by varying that strip.

``panel_back_mli`` (any placement): the back face of the panel's cell region covered by a
multilayer-insulation blanket with a vapour-deposited-aluminium outer layer, modelled as one
gray low-ε face (:data:`MLI_BACK`): less panel heat reaches the wings, but the cells lose their
back-face radiator and run hotter.

Mass (kg, :func:`placement_mass`): deployable wings carry :data:`HINGE_MASS_KG_PER_WING`
each (hinges, deployment actuator, flexible hose pair); the boom :data:`BOOM_LINEAR_MASS_KG_M`
per metre plus one root hinge. Conductances: the boom and hinges are treated as adiabatic
structural paths and the transfer lines as unbonded (no heat exchange) edges; a line wrapped
in MLI (ε* 0.03) at 270 K leaks π·D·ε*·σ·T⁴ ≈ 1.1 W/m for a 40 mm outer diameter
(:data:`TRANSFER_LINE_LEAK_W_M`), 0.1 % of the heat at 20 m of line — neglected and stated.
"""
from __future__ import annotations

import math

import numpy as np

from thermosat.common.constants import SIGMA
from thermosat.common.errors import InputError
from thermosat.physics.presets import Coating

__all__ = ["PLACEMENTS", "WING_PLACEMENTS", "OUTBOARD_ARM_M", "BOOM_LENGTH_M",
           "BOOM_MIN_LENGTH_M", "BOOM_LINEAR_MASS_KG_M", "HINGE_MASS_KG_PER_WING",
           "MLI_BACK", "MLI_EFFECTIVE_EMITTANCE", "TRANSFER_LINE_LEAK_W_M", "placement_frame",
           "placement_mass", "check_placement", "vary_of"]

#: the placements (issue 14 item 1)
PLACEMENTS = ("beside", "outboard", "boom", "panel_back")
#: placements whose radiator is wing area (``wing_area_m2``); ``panel_back`` varies the strip
WING_PLACEMENTS = ("beside", "outboard", "boom")

#: gap (m) between the panel's long edge and an outboard wing's root: the deployment arm
#: (assumption: long enough that the root does not touch the panel edge, short against the
#: wing; a longer arm lowers the wing–panel view further)
OUTBOARD_ARM_M = 1.0
#: default boom length (m) from the panel back to the boom radiator's top edge (assumption:
#: about the panel's short side, 5 m, twice over; at 10 m the panel back fills a small part of
#: the radiator's view — the report's trade table gives the resulting exchange)
BOOM_LENGTH_M = 10.0
#: shortest boom (m): the radiator must clear the bus (0.5 m standoff + 1 m box) by 0.5 m
BOOM_MIN_LENGTH_M = 2.0
#: linear mass of the radiator boom (kg/m): an ASSUMPTION. No published linear mass of a
#: boom carrying a few-hundred-kg radiator was found in this session; the 60 m SRTM mast
#: (ADAM, a CFRP/titanium lattice truss of 87 bays carrying the outboard antenna; NASA JPL
#: SRTM pages) is the class of structure, whose mass is not quoted there; light antenna
#: booms are ~0.3 kg/m. 2 kg/m is taken for a stiff lattice boom (docs/references.md)
BOOM_LINEAR_MASS_KG_M = 2.0
#: mass (kg) per deployed wing (or boom root) of hinges, hold-downs, deployment actuator and
#: the flexible hose pair that crosses the hinge line: an ASSUMPTION (~2–4 % of a
#: 200–400 kg radiator wing; no published mechanism mass was at hand; docs/references.md)
HINGE_MASS_KG_PER_WING = 8.0
#: effective emittance ε* of a large MLI blanket with seams and penetrations: 0.02–0.05
#: (lab coupons 0.005–0.015; Gilmore 2002 ch. 5 "Insulation"; NASA TP-1999-209263,
#: Finckenor & Dooling, "Multilayer insulation material guidelines"; docs/references.md)
MLI_EFFECTIVE_EMITTANCE = 0.03
#: the MLI-covered panel back as one gray face: ε = ε* and α of the vapour-deposited
#: aluminium outer layer (0.08–0.14, Gilmore 2002 Appendix A; 0.10 taken). Simplification:
#: the outer layer and the blanket collapse into one surface at the panel back's temperature
#: (the absorbed Earth flux all reaches the panel — conservative for the cells, and the
#: blanket's outer layer, at the panel's temperature, radiates at most ε*·σT⁴ to the wings)
MLI_BACK = Coating("mli_vda", 0.10, MLI_EFFECTIVE_EMITTANCE,
                   "MLI blanket, VDA outer layer, effective emittance 0.03 (docs/references.md)")
#: heat leak (W/m) of an MLI-wrapped 40 mm transfer line at 270 K to deep space
TRANSFER_LINE_LEAK_W_M = math.pi * 0.040 * MLI_EFFECTIVE_EMITTANCE * SIGMA * 270.0**4


def vary_of(placement: str) -> str:
    """The area the sizing varies for ``placement``: ``wings`` or ``panel_radiator``."""
    return "panel_radiator" if placement == "panel_back" else "wings"


def check_placement(placement: str, boom_length_m: float) -> None:
    """Raise :class:`InputError` for an unknown placement or a boom that hits the bus."""
    if placement not in PLACEMENTS:
        raise InputError(f"satellite placement: {placement!r} is not one of "
                         f"{', '.join(PLACEMENTS)}")
    if not BOOM_MIN_LENGTH_M <= boom_length_m <= 1000.0:
        raise InputError(f"satellite boom_length_m: {boom_length_m} must be in "
                         f"[{BOOM_MIN_LENGTH_M}, 1000] m (the radiator must clear the bus)")


def placement_frame(placement: str, k: int, panel_length_m: float, panel_width_m: float,
                    wing_length_m: float, wing_depth_m: float,
                    boom_length_m: float = BOOM_LENGTH_M):
    """Origin, the two grid directions ``(e_s, e_d)`` (``s``: the wing's length
    ``wing_length_m``, ``d``: its depth ``wing_depth_m``) and the front normal of wing ``k``
    (0 or 1) for ``placement`` (m, unit vectors). The front face (``out_front_radiator``)
    faces the normal, the back face the opposite."""
    L, W = panel_length_m, panel_width_m
    axis = 0 if L >= W else 1                    # geometry.long_edge_axis
    along = np.zeros(3)
    along[axis] = 1.0
    across = np.zeros(3)
    across[1 - axis] = 1.0
    ez = np.array([0.0, 0.0, 1.0])
    edge_len = L if axis == 0 else W
    span = W if axis == 0 else L                 # panel extent across the long edges
    if placement == "beside":
        pos = 0.0 if k == 0 else span
        origin = along * (0.5 * edge_len - 0.5 * wing_length_m) + across * pos
        inward = across * (1.0 if k == 0 else -1.0)
        return origin, along, -ez, inward
    if placement == "outboard":
        sgn = -1.0 if k == 0 else 1.0
        root = (0.0 if k == 0 else span) + sgn * OUTBOARD_ARM_M
        origin = along * (0.5 * edge_len) + across * root + ez * (0.5 * wing_depth_m)
        return origin, across * sgn, -ez, along
    if placement == "boom":
        start = 0.5 * edge_len - (wing_length_m if k == 0 else 0.0)
        origin = along * start + across * (0.5 * span) - ez * boom_length_m
        return origin, along, -ez, across
    raise InputError(f"placement {placement!r} has no wings (allowed with wings: "
                     f"{', '.join(WING_PLACEMENTS)})")


def placement_mass(design) -> dict[str, float]:
    """Hinge and boom mass (kg) of ``design``'s placement (see the module docstring)."""
    p = getattr(design, "placement", "beside")
    hinges = 0.0
    boom = 0.0
    if p in ("beside", "outboard") and design.wing_area_m2 > 0:
        hinges = 2 * HINGE_MASS_KG_PER_WING
    elif p == "boom" and design.wing_area_m2 > 0:
        hinges = HINGE_MASS_KG_PER_WING
        boom = design.boom_length_m * BOOM_LINEAR_MASS_KG_M
    return {"hinges_kg": hinges, "boom_kg": boom}
