"""Fuzzing the case parser with hypothesis: whatever the input, ``parse_case`` either returns a
valid :class:`Case` or raises :class:`CaseError` with a one-line message — nothing else escapes
(no pydantic ValidationError, KeyError, TypeError, RecursionError, ...).

Inputs: random TOML documents (random tables, keys drawn from the schema's names and from
random text, random values of every TOML type), mutations of the default case (field
deletions, type swaps, out-of-range and extreme numbers, sections replaced), random bytes and
random edits of the default case's text.
"""
from __future__ import annotations

import datetime
import math
import os

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermosat.case.schema import SECTIONS, CaseModel
from thermosat.case.load import Case, parse_case
from thermosat.case.defaults import default_case_data, render_default_toml
from thermosat.common.errors import CaseError

#: THERMOSAT_FUZZ_EXAMPLES=5000 for a long, randomised run (default: 150, derandomised)
_N = int(os.environ.get("THERMOSAT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=_N or 150, deadline=None, derandomize=not _N, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SECTION_NAMES = list(SECTIONS)
FIELD_NAMES = sorted({n for m in SECTIONS.values() for n in m.model_fields}
                     | {"alpha", "epsilon", "name", "thickness_m", "conductivity_w_mk",
                        "density_kg_m3", "specific_heat_j_kgk", "power_w"})
KEYS = st.one_of(st.sampled_from(SECTION_NAMES + FIELD_NAMES + ["description"]),
                 st.text(min_size=1, max_size=12))

NUMBERS = st.one_of(
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 0.0, -0.0, -1e-300, 1e-300, 1e308, -1e308, 2.0, 0.5, 1.5,
                     100.0, 1e6, 1e9, 3, 4, 2 ** 62, -(2 ** 62)]),
)
SCALARS = st.one_of(
    NUMBERS,
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(["vleo", "leo", "meo", "geo", "hjt", "gaas3j", "z93", "osr", "ammonia",
                     "water", "hfe7200", "gb300", "dojo_d1", "parallel", "wings", "bdf2", ""]),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1),
                 max_value=datetime.datetime(2100, 1, 1)),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


def check(text_or_bytes, source="fuzz.toml"):
    """parse_case either loads or raises a one-line CaseError naming the source."""
    try:
        case = parse_case(text_or_bytes, source)
    except CaseError as err:
        msg = str(err)
        assert msg.startswith(f"{source}: "), msg
        assert "\n" not in msg, msg
        assert "validation failed unexpectedly" not in msg, msg
        return None
    assert isinstance(case, Case)
    # a loaded case survives its own round trip and makes a design
    assert parse_case(case.to_toml(), "again.toml") == case
    return case


def dumps(data) -> str | None:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):
        return None


@FUZZ
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_random_documents(doc):
    text = dumps(doc)
    if text is not None:
        check(text)


@FUZZ
@given(st.dictionaries(st.sampled_from(SECTION_NAMES + ["description", "extra"]),
                       st.dictionaries(KEYS, VALUES, max_size=6), max_size=8))
def test_random_sections(doc):
    text = dumps(doc)
    if text is not None:
        check(text)


def _paths(data, prefix=()):
    for k, v in data.items():
        yield prefix + (k,)
        if isinstance(v, dict):
            yield from _paths(v, prefix + (k,))


BASE = default_case_data("vleo")
PATHS = list(_paths(BASE))


def _mutate(data, path, op, value):
    node = data
    for k in path[:-1]:
        node = node[k]
    key = path[-1]
    if op == "delete":
        node.pop(key, None)
    elif op == "replace":
        node[key] = value
    elif op == "scale":
        v = node.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            node[key] = type(v)(v * value) if isinstance(v, float) else int(v * value) \
                if math.isfinite(v * value) else v
    elif op == "negate":
        v = node.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            node[key] = -v
    elif op == "stringify":
        node[key] = str(node.get(key))
    elif op == "add_unknown":
        if isinstance(node.get(key), dict):
            node[key]["unexpected_field"] = value
        else:
            node["unexpected_field"] = value


MUTATION = st.tuples(st.sampled_from(PATHS),
                     st.sampled_from(["delete", "replace", "scale", "negate", "stringify",
                                      "add_unknown"]),
                     VALUES)


@FUZZ
@given(st.lists(MUTATION, min_size=1, max_size=4),
       st.sampled_from([0.0, -1.0, 0.5, 2.0, 10.0, 1e6, 1e-6, 1e300]))
def test_mutated_default_case(mutations, factor):
    import copy

    data = copy.deepcopy(BASE)
    for path, op, value in mutations:
        try:
            _mutate(data, path, op, factor if op == "scale" else value)
        except (KeyError, TypeError, AttributeError):
            pass  # the path was removed or replaced by an earlier mutation
    text = dumps(data)
    if text is not None:
        check(text)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(raw):
    check(raw)


@FUZZ
@given(st.binary(max_size=40))
def test_default_case_with_garbage_bytes(raw):
    text = render_default_toml("meo").encode()
    check(text[: len(text) // 2] + raw + text[len(text) // 2:])


DEFAULT_TEXT = render_default_toml("leo")


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(DEFAULT_TEXT)), st.integers(0, 8),
                          st.text(max_size=6)), min_size=1, max_size=5))
def test_random_text_edits(edits):
    text = DEFAULT_TEXT
    for pos, cut, insert in edits:
        pos = min(pos, len(text))
        text = text[:pos] + insert + text[pos + cut:]
    check(text)


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000,            # deep nesting
    "a = {" + "b = {" * 2000 + "}" * 2001,
    "[orbit]\n" + "x" * 100000 + " = 1\n",
    "\x00", "\ufeff", "\ufeff\ufeff[orbit]", "[orbit]\ntier = \"vleo\"\n[orbit]\n",
    "orbit = []", "orbit = [1, 2]", "[[orbit]]\ntier='vleo'\n",
    "[panel.layers]\n", "[panel]\nlayers = [1, 2]\n", "[panel]\nback = []\n",
    "[panel]\nback = {}\n", "[panel]\nback = { alpha = nan, epsilon = 0.5 }\n",
    "[compute]\nn_chips = 99999999999999999999\n",
])
def test_pathological_documents(text):
    check(text)


def test_schema_names_cover_every_section():
    assert set(SECTION_NAMES) == set(CaseModel.model_fields) - {"description"}
