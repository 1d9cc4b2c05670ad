"""Property test: the default scenario and --set values, mutated at random (types, ranges, keys,
YAML structure), end in exit 0 or in exit 2 with one line; never a traceback, never a hang.

Cases are run in-process through model.cli.main over a one-day window: most as `validate`
(reading, checking, profiles; no solve), a few solved, where a solver failure (exit 1, one line
"solver: ...", or a summary that says the self-check failed) is also an answer. The examples are
derandomised so the suite is repeatable; HEXI_PROPERTY_EXAMPLES=500 runs that many with a fresh
seed each time.
"""

import contextlib
import copy
import io
import os
import signal
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import main
from model.inputs import scenario
from tests.conftest import ROOT

HANG_S = 60  # far above any one-day case; reaching it is a hang
EXAMPLES = int(os.environ.get("HEXI_PROPERTY_EXAMPLES", 0))
RAW, _ = scenario.read_merged(ROOT / "scenarios" / "jiuquan_2019.yaml")  # profile paths made absolute
RAW["time"]["hours"] = 24


def _get(node, key):
    for k in key:
        node = node[k]
    return node


def _leaves(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _leaves(v, prefix + (k,))


KEYS = list(_leaves(RAW))
NUMBERS = [k for k in KEYS if isinstance(_get(RAW, k), (int, float)) and not isinstance(_get(RAW, k), bool)]
NASTY = ["2019-02-29", "2019-13-01", "2019-01-01 06:00", "1e4", "8 GW", "-1", ".inf", "-.inf", ".nan", "nan",
         "*", "&a [*a]", "[" * 60, "{a: 1, a: 2}", "1: 2", "!!binary AAAA", "!!python/name:os.system", "~", "",
         "0x1F", "1_000", "12:30", "yes", "on", "'", "\ufeff", "会议纪要", "=1+1", "../../x", "."]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), st.floats(),
                    st.text(max_size=10), st.sampled_from(NASTY), st.dates().map(str))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=3), max_leaves=8)
junk = st.text(alphabet="[]{}:,&*!|>-?#'\" \tab01.\n", max_size=24)
# Numbers scaled keep their type, so these cases get past the checks into the model.
scaled = st.lists(st.tuples(st.just("scale"), st.sampled_from(NUMBERS),
                            st.sampled_from([0, 0.5, 2, 10, 1e6, -1, 1e-9])), max_size=3)
mutations = scaled | st.lists(st.one_of(
    st.tuples(st.just("set"), st.sampled_from(KEYS), values),
    st.tuples(st.just("add"), st.sampled_from(KEYS), st.text(max_size=8) | st.sampled_from(NASTY), values),
    st.tuples(st.just("delete"), st.sampled_from(KEYS)),
    st.tuples(st.just("line"), st.integers(0, 200), junk)), max_size=3)
set_keys = st.sampled_from([".".join(map(str, k)) for k in KEYS]) | st.text(max_size=12) | st.sampled_from(
    ["wind.*.capacity_mw", "*", "a..b", "time.start.x", "wind.new.capacity_mw"])
set_values = st.sampled_from(NASTY) | values.map(lambda v: yaml.safe_dump(v, default_flow_style=True).strip())
numbers_set = st.tuples(st.sampled_from([".".join(k) for k in NUMBERS]),
                        st.sampled_from(["0", "-1", "1e4", "2.5", "1e308", ".inf", "0.999", "8760"]))
overrides = st.lists(numbers_set, max_size=2) | st.lists(st.tuples(set_keys, set_values), max_size=2)


def _mutated(ops) -> str:
    data = copy.deepcopy(RAW)
    lines = []
    for op in ops:
        if op[0] == "line":
            lines.append(op[1:])
            continue
        *parents, last = op[1]
        node = data
        for k in parents:
            if not isinstance(node.get(k), dict):
                node[k] = {}
            node = node[k]
        if op[0] == "scale":
            node[last] = _get(RAW, op[1]) * op[2]
        elif op[0] == "set":
            node[last] = op[2]
        elif op[0] == "add":
            node[last] = node[last] if isinstance(node.get(last), dict) else {}
            node[last][op[2]] = op[3]
        else:
            node.pop(last, None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).splitlines()
    for i, new in lines:
        text[i % len(text)] = new
    return "\n".join(text) + "\n"


@contextlib.contextmanager
def _no_hang():
    def hung(*_):
        raise TimeoutError(f"no answer within {HANG_S} s: a hang")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _outcome(argv) -> tuple[int, list[str], str]:
    err, out = io.StringIO(), io.StringIO()
    with _no_hang(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse's own errors (a --set value that looks like an option)
            code = e.code
    lines = [line for line in err.getvalue().splitlines() if not line.startswith("warning: ")]
    return code, lines, out.getvalue()


def _check(ops, sets, command, pinned=()):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.yaml"
        path.write_text(_mutated(ops), encoding="utf-8")
        flags = [f for key, value in [*sets, *pinned] for f in ("--set", f"{key}={value}")]
        out = ["--out", str(Path(tmp) / "out"), "--no-report"] if command == "run" else []
        code, err, printed = _outcome(([] if command == "run" else [command]) + [str(path), *out, *flags])
    if code == 0 or (code == 1 and command == "run" and not err and "THE SELF-CHECK FAILED" in printed):
        return
    # validate lists every error of the file, a line each; a run shows one line
    assert len(err) == 1 or (command == "validate" and err), \
        f"exit {code} with {len(err)} lines: {err[:5]}"
    assert all((code, line.split(":")[0]) in {(2, "error"), (1, "solver")} for line in err), err
    assert command == "run" or code == 2, err[0]


def _settings(n):
    return settings(max_examples=EXAMPLES or n, deadline=None, database=None, derandomize=not EXAMPLES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@_settings(80)
@given(mutations, overrides)
def test_mutated_scenarios_validate_or_fail_in_one_line(ops, sets):
    _check(ops, sets, "validate")


@pytest.mark.slow
@_settings(12)
@given(mutations, overrides)
def test_mutated_scenarios_solve_or_fail_in_one_line(ops, sets):
    # A day, one thread and a minute at most, whatever the mutations say.
    _check(ops, sets, "run", pinned=[("time.hours", 24), ("solver.threads", 1), ("solver.time_limit_s", 60)])
