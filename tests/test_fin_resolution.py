"""The wing fin between tubes is resolved: nodes on every tube, h² convergence to the
radiating-fin solution."""
import numpy as np
import pytest

from thermosat.physics.loop import path_points
from thermosat.satellite.geometry import pitch_axis, wing_mesh
from thermosat.verification.cases import fin_convergence as fc
from thermosat.verification.cases.radiating_fin import efficiency_bvp


@pytest.mark.parametrize("depth, pitch", [(5.0, 0.25), (4.9, 0.25), (0.2, 0.25), (3.0, 0.7)])
def test_tube_lines_fall_on_nodes_with_n_elements_per_pitch(depth, pitch):
    m = wing_mesh(0, 20.0, 10.0, 12.0, depth, 0.5, pitch_m=pitch, per_pitch=6)
    lines = path_points(m, "radiator", "parallel", pitch, 0.5)
    z_nodes = np.unique(np.round(m.points[:, 2], 9))
    for line in lines:
        assert np.min(np.abs(z_nodes - line[0, 2])) < 1e-9
    spacing = np.diff(z_nodes)
    assert spacing.max() <= pitch / 6 * (1 + 1e-6)
    # along the tubes the coarse size stays
    assert len(np.unique(np.round(m.points[:, 0], 9))) == int(np.ceil(12.0 / 0.5)) + 1


def test_pitch_axis_rejects_odd_counts():
    with pytest.raises(Exception, match="even integer"):
        pitch_axis(5.0, 0.25, 3)


def test_fin_efficiency_converges_as_h_squared_to_the_fin_equation():
    ref = efficiency_bvp(fc.n_c())
    errs = [fc.efficiency_fe(n) - ref for n in (4, 8, 16)]
    assert all(e > 0 for e in errs)           # coarser sheet: overestimates the fin
    r1, r2 = errs[0] / errs[1], errs[1] / errs[2]
    assert 3.6 < r1 < 4.4 and 3.6 < r2 < 4.4
    # an isothermal sheet (element larger than the pitch) overstates η by > 10 %
    assert 1.0 / ref - 1.0 > 0.1


def test_fin_convergence_case_passes():
    assert fc.run().passed
