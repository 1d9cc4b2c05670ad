"""The weather-year generator (model.inputs.weather, data/make_weather.py).

Calibration targets are expectations over weather years, so a few generated years miss them by
sampling noise. The tolerances below are three standard errors of the mean of the years a test
generates: 3 sd / sqrt(n), with sd the year-to-year standard deviation measured over the 30
years in data/weather/statistics.csv (data/README.md). A real calibration error larger than
that fails; noise alone would fail about once in 370 draws, and the draws are fixed by the seed.
The independent-hours checks below pin the expectations themselves much more tightly.
"""

from __future__ import annotations

import importlib.util
from math import gamma, sqrt

import numpy as np
import pandas as pd
import pytest

from model.inputs.profiles import ProfileStore
from model.inputs.schema import ProfileRef
from model.inputs.weather import csp, generate, sky, stochastic, wind
from model.inputs.weather.files import compact, statistics_path, weather_path
from model.inputs.weather.statistics import year_statistics
from tests.conftest import ROOT

pytestmark = [pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:pvlib"),
              pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:windpowerlib")]

TEST_YEARS = 3
# Year-to-year standard deviations over the 30 weather years of data/weather (data/README.md).
SUNSHINE_SD_H = 96.0
FLEET_FLH_SD_H = 166.0
BEST_SPEED_70M_SD_MS = 0.34


def three_standard_errors(sd: float, years: int = TEST_YEARS) -> float:
    return 3.0 * sd / sqrt(years)


@pytest.fixture(scope="module")
def climate():
    return generate.build_climate(2019)


@pytest.fixture(scope="module")
def years(climate):
    return [generate.generate_year(climate, k) for k in range(1, TEST_YEARS + 1)]


@pytest.fixture(scope="module")
def statistics(years):
    return pd.DataFrame([year_statistics(compact(frame)) for frame in years])


def test_sunshine_hours_hit_the_published_figure(statistics):
    mean = statistics["sunshine_h"].mean()
    assert mean == pytest.approx(3300.0, abs=three_standard_errors(SUNSHINE_SD_H))


def test_best_site_mean_speed_at_70m_is_yumen(climate, statistics):
    # Both columns ride on one latent process, so the best site's speed is the fleet's, scaled.
    to_70m = wind.to_height(1.0, wind.HUB_HEIGHT_M, wind.REFERENCE_HEIGHT_M)
    best = statistics["wind_speed_mean_ms"] * climate.best_site_scale / climate.fleet_scale * to_70m
    assert best.mean() == pytest.approx(7.89, abs=three_standard_errors(BEST_SPEED_70M_SD_MS))


def test_fleet_full_load_hours_average_2200(statistics):
    assert statistics["wind_flh_h"].mean() == pytest.approx(2200.0, abs=three_standard_errors(FLEET_FLH_SD_H))


def test_expected_sunshine_matches_independent_hours(climate):
    """Hours drawn independently from the marginals: the quadrature's answer, within 1.5 %."""
    rng = np.random.default_rng(11)
    hours, replicates = len(climate.index), 4
    counts = []
    for _ in range(replicates):
        haze = sky.HAZE_MEDIAN * np.exp(sky.HAZE_LOG_SD * rng.standard_normal(hours))
        cloud = sky.cloud_fraction(rng.standard_normal(hours), climate.cloud_shift, climate.clear_threshold)
        clear = sky.clear_sky(climate.geometry, haze)
        counts.append(sky.sunshine_hours(sky.irradiance(climate.geometry, clear, cloud).dni))
    # Independent hours: sd about 26 h a replicate, so the mean of 4 has a standard error of 13 h.
    assert climate.expected_sunshine_h == pytest.approx(3300.0, abs=0.01)
    assert np.mean(counts) == pytest.approx(3300.0, abs=50.0)


def test_wind_expectations_match_independent_hours(climate):
    rng = np.random.default_rng(12)
    latent = rng.standard_normal((8, len(climate.index)))
    fleet = wind.hub_speed(latent, climate.fleet_scale, climate.wind_modulation)
    flh = wind.output(climate.fleet_curve, fleet, climate.expected_density).sum(axis=1)
    # Independent hours: sd about 25 h a replicate; the mean of 8 has a standard error of 9 h.
    assert flh.mean() == pytest.approx(2200.0, abs=30.0)
    best = wind.hub_speed(latent, climate.best_site_scale, climate.wind_modulation)
    # 70,080 independent speeds of sd about 4.3 m/s: standard error 0.016 m/s.
    assert wind.to_height(best, wind.HUB_HEIGHT_M, 70.0).mean() == pytest.approx(7.89, abs=0.06)


def test_same_seed_gives_the_same_year(climate, years):
    pd.testing.assert_frame_equal(generate.generate_year(climate, 2), years[1])


def test_years_and_seeds_differ(climate, years):
    other_seed = generate.generate_year(climate, 1, base_seed=generate.DEFAULT_SEED + 1)
    for column in ("wind", "pv", "temperature", "hydro", "dni"):
        assert not np.allclose(years[0][column], years[1][column]), column
        assert not np.allclose(years[0][column], other_seed[column]), column
    # Independent draws: the two years' hourly wind is far from identical.
    assert np.corrcoef(years[0]["wind"], years[1]["wind"])[0, 1] < 0.5


def test_columns_ranges_and_load_means(years):
    for frame in years:
        assert tuple(frame.columns) == generate.COLUMNS
        assert not frame.isna().any().any()
        for column in generate.AVAILABILITY_COLUMNS:
            assert frame[column].between(0.0, 1.0).all(), column
        for column in generate.LOAD_COLUMNS:
            assert frame[column].mean() == pytest.approx(1.0, abs=1e-12), column
            assert compact(frame)[column].astype(float).mean() == pytest.approx(1.0, abs=1e-4), column
        assert frame[["ghi", "dni", "dhi", "wind_speed_hub"]].ge(0.0).all().all()


def test_leap_year_has_8784_unique_consecutive_hours():
    frame = generate.generate_year(generate.build_climate(2020), 1)
    stamps = pd.DatetimeIndex(frame["timestamp"])
    assert len(frame) == 8784 and str(stamps.tz) == "Asia/Shanghai"
    assert stamps[0] == pd.Timestamp("2020-01-01 00:00", tz="Asia/Shanghai")
    assert stamps[-1] == pd.Timestamp("2020-12-31 23:00", tz="Asia/Shanghai")
    assert not stamps.has_duplicates
    assert ((stamps[1:] - stamps[:-1]) == pd.Timedelta(hours=1)).all()
    assert (stamps.strftime("%m-%d") == "02-29").sum() == 24


def test_csp_field_is_one_at_its_design_point_and_zero_at_night():
    at_design = csp.field_output(csp.DESIGN_DNI_W_M2, csp.DESIGN_ZENITH_DEG, csp.DESIGN_AZIMUTH_DEG)
    assert at_design == pytest.approx(1.0)
    assert csp.field_output(csp.DESIGN_DNI_W_M2 / 2, csp.DESIGN_ZENITH_DEG, csp.DESIGN_AZIMUTH_DEG) < 0.5
    assert csp.field_output(900.0, 95.0, 0.0) == 0.0


def test_weibull_map_keeps_the_mean():
    z = stochastic.ar1(np.random.default_rng(3), 200_000, 0.9)
    assert stochastic.unit_weibull(z, 2.0).mean() == pytest.approx(gamma(1.5), rel=0.02)


def test_script_files_load_through_the_profile_loader(tmp_path):
    spec = importlib.util.spec_from_file_location("make_weather", ROOT / "data" / "make_weather.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--years", "1", "--out", str(tmp_path)]) == 0

    path = weather_path(tmp_path, 1)
    written = pd.read_parquet(path)
    assert tuple(written.columns) == generate.COLUMNS
    assert path.stat().st_size < 250_000
    assert len(pd.read_csv(statistics_path(tmp_path))) == 1

    week = pd.date_range("2019-03-04", periods=168, freq="h", tz="Asia/Shanghai")
    store = ProfileStore(week)
    for column, kind in (("wind", "availability"), ("temperature", "temperature"), ("load", "shape")):
        values, annual_mean = store.get(ProfileRef(file=str(path), column=column), kind, f"weather.{column}",
                                        file_of=lambda key: path)
        expected = written.set_index("timestamp").loc[week, column].to_numpy(dtype=float)
        np.testing.assert_array_equal(values, expected)
        assert annual_mean == pytest.approx(written[column].astype(float).mean())


def test_regions_keep_jiuquan_columns_and_follow_fronts(climate, years):
    """The regions' columns come from a stream appended to STREAMS: Jiuquan's columns are the
    bytes stored in data/weather. Regional wind correlates with Jiuquan's, less with distance,
    and best some hours later (fronts from the west)."""
    from model.inputs.weather import regions
    stored = pd.read_parquet(weather_path(ROOT / "data" / "weather", 1))
    fresh = compact(years[0])
    for column in ("wind", "pv", "hydro", "temperature", "ghi"):
        np.testing.assert_array_equal(stored[column].to_numpy(), fresh[column].to_numpy())
    for column in regions.COLUMNS:
        np.testing.assert_array_equal(stored[column].to_numpy(), fresh[column].to_numpy())
    corr = {k: np.corrcoef(fresh["wind"], fresh[f"wind_{k}"])[0, 1] for k in ("hexi", "gansu")}
    assert 0.2 < corr["gansu"] < corr["hexi"] < 0.8
    lag = regions.lag_hours(regions.WIND_SITE, regions.REGIONS[0].site)
    w, h = fresh["wind"].to_numpy(), fresh["wind_hexi"].to_numpy()
    assert np.corrcoef(w[:-lag], h[lag:])[0, 1] > corr["hexi"]


def test_regional_wind_hits_its_expected_hours(climate):
    for rc in climate.regions:
        expected = wind.expected_full_load_hours(climate.fleet_curve, rc.wind_scale,
                                                 climate.wind_modulation, climate.expected_density)
        assert expected == pytest.approx(rc.region.wind_flh, rel=1e-6)
        assert rc.expected_sunshine_h == pytest.approx(rc.region.sunshine_h, rel=1e-6)
