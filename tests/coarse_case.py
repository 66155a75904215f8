"""A deliberately coarse VLEO case (2 chips of ~13 kW, 2 m panel elements, 8 transient steps)
shared by the guard, interrupt and repeatability tests: it solves in seconds and misses the
junction limit on purpose (its chips carry a hypothetical 20 kW rating so that only the
temperature limits fail)."""

CASE = """\
description = "{description}"
[orbit]
tier = "vleo"
[panel]
cell_area_m2 = 100.0
panel_radiator_area_m2 = 300.0
width_m = 20.0
element_size_m = 2.0
back = "z93"
radiator_front = "z93"
[compute]
n_chips = 2
chip = "gb300"
demand_w = 25000.0
# a hypothetical rating far above the gb300's 1.4 kW, so that the chip-power limit (issue 12)
# does not mask the junction/cell/coolant guards this case exercises
rated_power_w = 20000.0
[loop]
fluid = "ammonia"
pressure_pa = 3000000.0
pipe_pitch_m = 1.0
[sizing]
min_area_m2 = 40.0
max_area_m2 = 3000.0
[transient]
steps = 8
[mesh]
package_mesh_density = 2
"""


def coarse_case(description: str) -> str:
    """TOML text of the coarse case with ``description``."""
    return CASE.format(description=description)
