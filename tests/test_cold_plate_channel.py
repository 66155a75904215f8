"""Cold-plate channel with several fluid nodes against the closed-form channel with uniform
wall flux (validation case ``cold_plate_channel``; issue 12 item 3)."""
from __future__ import annotations

import numpy as np
import pytest

from thermosat.common.errors import InputError
from thermosat.physics.coldplate import segment_index
from thermosat.verification.cases import cold_plate_channel as case


def test_segment_index_cuts_the_channel_in_equal_parts():
    x = np.array([0.0, 0.049, 0.051, 0.16, 0.2])
    assert list(segment_index(x, 0.0, 0.2, 4)) == [0, 0, 1, 3, 3]
    with pytest.raises(InputError, match="fluid nodes"):
        segment_index(x, 0.0, 0.2, 0)


def test_cold_plate_channel_against_the_closed_form():
    r = case.run()
    assert r.passed, r.to_json()
    rows = r.meshes
    for row in rows:
        # energy: the outlet is T_in + q''WL/(m_dot c_p) for any number of nodes
        assert row["outlet_k"] == pytest.approx(row["outlet_exact_k"], abs=1e-9)
        # the wall sits q''/h above its fluid (plate mean)
        assert row["wall_minus_fluid_k"] == pytest.approx(row["q_over_h_k"], abs=1e-9)
        # each segment sees its outlet node: the mean wall is ΔT/(2n) high
        assert row["error_k"] == pytest.approx(row["predicted_error_k"], rel=5e-3)
    # first order in the number of fluid nodes; one node (the old plate) is 6 K off
    assert all(abs(row["order"] - 1.0) < 0.01 for row in rows[1:])
    assert rows[0]["n"] == 1 and rows[0]["error_k"] > 5.0
