"""Loading measured or reanalysis profiles: clocks, time zones, resampling, daylight saving."""

import numpy as np
import pandas as pd
import pytest

from model.analyses.pipeline import run
from model.cli import main
from tests.conftest import base, write_scenario


def wind_case(ref, hours=3, start="2019-01-01"):
    data = base(hours, wind={"w": {"capacity_mw": 100, "availability": ref}},
                export_lines={"l": {"capacity_mw": 1000, "price_cny_per_mwh": 100}})
    data["time"]["start"] = start
    return data


def wind_used(tmp_path, ref, **kw):
    result = run(write_scenario(tmp_path, wind_case(ref, **kw)), write=False)
    return result.report.hourly["Wind-p[w]"] / 100, result.summary["warnings"]


def input_error(tmp_path, capsys, ref, **kw):
    assert main([str(write_scenario(tmp_path, wind_case(ref, **kw))), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and not (tmp_path / "o").exists()
    return err


@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["plain", "byte-order mark"])
def test_renewables_ninja_csv_loads_as_it_is(tmp_path, bom):
    """renewables.ninja: '#' metadata lines, 'time' in UTC, 'local_time', 'electricity'. Local
    midnight on 1 January 2019 is 16:00 UTC on 31 December. A byte-order mark (Excel, Notepad
    save one) before the first '#' changes nothing."""
    utc = pd.date_range("2018-12-31 14:00", periods=6, freq="h")
    lines = ["# Renewables.ninja Wind (MERRA-2) - https://www.renewables.ninja/ - RFC 2822",
             "# Units: time in UTC, other columns in kW",
             "time,local_time,electricity"]
    lines += [f"{t:%Y-%m-%d %H:%M},{t + pd.Timedelta(hours=8):%Y-%m-%d %H:%M},{v}"
              for t, v in zip(utc, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])]
    (tmp_path / "ninja.csv").write_text(bom + "\n".join(lines) + "\n", encoding="utf-8")
    values, warnings = wind_used(tmp_path, {"file": "ninja.csv", "column": "electricity"})
    np.testing.assert_allclose(values, [0.3, 0.4, 0.5])
    assert warnings == []


def test_naive_timestamps_are_assumed_local_with_a_warning(tmp_path, capsys):
    pd.DataFrame({"time": pd.date_range("2019-01-01", periods=3, freq="h").strftime("%Y-%m-%d %H:%M"),
                  "cf": [0.1, 0.2, 0.3]}).to_csv(tmp_path / "p.csv", index=False)
    values, warnings = wind_used(tmp_path, {"file": "p.csv", "column": "cf"})
    np.testing.assert_allclose(values, [0.1, 0.2, 0.3])
    assert len(warnings) == 1 and "assumed Asia/Shanghai" in warnings[0]
    assert main([str(tmp_path / "case.yaml"), "--out", str(tmp_path / "o"), "--no-report"]) == 0
    assert "warning: " in capsys.readouterr().err


def test_a_stated_time_zone_shifts_naive_timestamps(tmp_path):
    pd.DataFrame({"time": pd.date_range("2018-12-31 15:00", periods=5, freq="h").strftime("%Y-%m-%d %H:%M"),
                  "cf": [0.1, 0.2, 0.3, 0.4, 0.5]}).to_csv(tmp_path / "p.csv", index=False)
    values, warnings = wind_used(tmp_path, {"file": "p.csv", "column": "cf", "timezone": "UTC"})
    np.testing.assert_allclose(values, [0.2, 0.3, 0.4])
    assert warnings == []


def test_sub_hourly_values_are_averaged_with_a_message(tmp_path):
    stamps = pd.date_range("2019-01-01", periods=12, freq="15min", tz="Asia/Shanghai")
    pd.DataFrame({"timestamp": stamps, "cf": np.arange(12) / 20}).to_parquet(tmp_path / "q.parquet")
    values, warnings = wind_used(tmp_path, {"file": "q.parquet", "column": "cf"})
    np.testing.assert_allclose(values, [0.075, 0.275, 0.475])
    assert any("averaged to hourly means" in w for w in warnings)


def test_coarser_than_hourly_values_are_refused(tmp_path, capsys):
    stamps = pd.date_range("2019-01-01", periods=3, freq="D", tz="Asia/Shanghai")
    pd.DataFrame({"timestamp": stamps, "cf": [0.1, 0.2, 0.3]}).to_csv(tmp_path / "d.csv", index=False)
    err = input_error(tmp_path, capsys, {"file": "d.csv", "column": "cf"})
    assert "d.csv: timestamp:" in err and "expected hourly or finer" in err


def test_daylight_saving_repeat_in_foreign_local_time(tmp_path, capsys):
    """Naive Berlin times repeat 02:00 on 27 October 2019: the row is named."""
    stamps = ["2019-10-27 00:00", "2019-10-27 01:00", "2019-10-27 02:00", "2019-10-27 02:00", "2019-10-27 03:00"]
    pd.DataFrame({"time": stamps, "cf": [0.1] * 5}).to_csv(tmp_path / "berlin.csv", index=False)
    err = input_error(tmp_path, capsys, {"file": "berlin.csv", "column": "cf", "timezone": "Europe/Berlin"})
    assert "berlin.csv: time: row 4:" in err and "daylight-saving" in err


def test_daylight_saving_gap_in_foreign_local_time(tmp_path, capsys):
    """Naive Berlin times cannot hold 02:30 on 31 March 2019: it never happened."""
    stamps = ["2019-03-31 01:00", "2019-03-31 02:00", "2019-03-31 03:00"]
    pd.DataFrame({"time": stamps, "cf": [0.1] * 3}).to_csv(tmp_path / "berlin.csv", index=False)
    err = input_error(tmp_path, capsys, {"file": "berlin.csv", "column": "cf", "timezone": "Europe/Berlin"})
    assert "row 3:" in err and "daylight-saving" in err


def test_repeated_hour_after_conversion(tmp_path, capsys):
    """01:00 in Shanghai and 17:00 UTC the day before are the same hour."""
    stamps = ["2019-01-01T00:00:00+08:00", "2019-01-01T01:00:00+08:00", "2018-12-31T17:00:00+00:00",
              "2019-01-01T02:00:00+08:00"]
    pd.DataFrame({"timestamp": stamps, "cf": [0.1] * 4}).to_csv(tmp_path / "dup.csv", index=False)
    err = input_error(tmp_path, capsys, {"file": "dup.csv", "column": "cf"})
    assert "dup.csv: timestamp: row 4: hour 2019-01-01 01:00:00+08:00 repeated" in err


def test_hour_index_column(tmp_path, capsys):
    pd.DataFrame({"hour": [2, 0, 1], "cf": [0.3, 0.1, 0.2]}).to_csv(tmp_path / "h.csv", index=False)
    values, _ = wind_used(tmp_path, {"file": "h.csv", "column": "cf"})
    np.testing.assert_allclose(values, [0.1, 0.2, 0.3])
    pd.DataFrame({"hour": [0, 1, 1], "cf": [0.3, 0.1, 0.2]}).to_csv(tmp_path / "h.csv", index=False)
    assert "h.csv: hour: row 4: hour 1 repeated" in input_error(tmp_path, capsys, {"file": "h.csv", "column": "cf"})


def test_unknown_time_zone(tmp_path, capsys):
    err = input_error(tmp_path, capsys, {"file": "x.csv", "column": "cf", "timezone": "Mars/Olympus"})
    assert "wind.w.availability.timezone" in err and "unknown time zone" in err


def test_weather_year_fills_file_names(tmp_path, capsys):
    for year, cf in ((1, 0.1), (2, 0.2)):
        pd.DataFrame({"timestamp": pd.date_range("2019-01-01", periods=3, freq="h", tz="Asia/Shanghai"),
                      "wind": [cf] * 3}).to_parquet(tmp_path / f"w{year:02d}.parquet")
    data = wind_case({"file": "w{weather_year:02d}.parquet", "column": "wind"})
    data["weather_year"] = 2
    path = write_scenario(tmp_path, data)
    assert run(path, write=False).report.hourly["Wind-p[w]"][0] == pytest.approx(20)
    assert run(path, write=False, overrides=[("weather_year", 1)]).report.hourly["Wind-p[w]"][0] == pytest.approx(10)
    del data["weather_year"]
    assert main([str(write_scenario(tmp_path, data)), "--out", str(tmp_path / "o")]) == 2
    assert "sets no weather_year" in capsys.readouterr().err


def test_a_profile_read_again_is_a_copy_with_its_warnings(tmp_path):
    """The second read of a file's profile comes from memory (measures sets prepare ~40 each):
    the same values and warnings, not the array the first reader scaled in place; a changed file
    is read afresh."""
    import os

    from model.inputs.profiles import ProfileStore
    from model.inputs.schema import ProfileRef

    index = pd.date_range("2019-01-01", periods=24, freq="h", tz="Asia/Shanghai")
    path = tmp_path / "wind.csv"
    naive = pd.date_range("2019-01-01", periods=24, freq="h")  # no zone: a warning
    w = (np.arange(24) % 5) / 4  # exact in a CSV
    pd.DataFrame({"time": naive, "w": w}).to_csv(path, index=False)
    ref = ProfileRef(file=str(path), column="w")
    first = ProfileStore(index)
    a, mean = first.get(ref, "availability", "wind.w.availability", lambda _: "case.yaml")
    assert first.warnings and mean == pytest.approx(w.mean())
    a *= 0  # a family scaling its own copy
    second = ProfileStore(index)
    b, _ = second.get(ref, "availability", "wind.w.availability", lambda _: "case.yaml")
    np.testing.assert_array_equal(b, w)
    assert second.warnings == first.warnings
    pd.DataFrame({"time": naive, "w": np.full(24, 0.25)}).to_csv(path, index=False)
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    c, _ = ProfileStore(index).get(ref, "availability", "wind.w.availability", lambda _: "x")
    np.testing.assert_array_equal(c, np.full(24, 0.25))
