"""Interim hourly availability, load and weather profiles for Jiuquan, calendar year 2019.

Writes data/jiuquan_2019_hourly.csv (8760 rows, local time Asia/Shanghai, UTC+8, no DST,
hour-beginning timestamps) with the columns

    timestamp    ISO 8601 with offset, e.g. 2019-01-01T00:00:00+08:00
    wind         wind-fleet availability, fraction of installed capacity, before curtailment
    pv           PV-fleet availability, fraction of installed capacity, before curtailment
    hydro        run-of-river hydro availability, fraction of installed capacity
    load         local base-load shape, dimensionless, annual mean 1.0
    csp_field    CSP tower solar-field heat at Dunhuang, fraction of its design thermal output
    temperature  air temperature at Jiuquan city, degrees Celsius

and prints the statistics of the file it wrote. Run from the repository root:

    python data/make_profiles.py [--seed 2019]

These are simple, documented, synthetic profiles, a placeholder until the weather-data work item
(pvlib/windpowerlib driven by many weather years) replaces them. The same seed gives the same file.

Figures used. "FACTS" is ../shared/FACTS.md; everything marked assumption is a modelling choice.

Site
    Dunhuang 40.06 N, 94.43 E (FACTS: Shouhang Dunhuang 100 MW CSP tower), for PV and CSP.
    Altitude 1,140 m: assumption (approximate elevation of the Dunhuang oasis; not in FACTS).
    Temperature: Jiuquan city, about 39.7 N, 98.5 E (FACTS gives the Guodian Jiuquan CHP plant in
    the city at 39.68 N, 98.51 E).

PV
    Solar position and Ineichen clear-sky irradiance from pvlib (Linke turbidity climatology that
    ships with pvlib), evaluated at mid-hour.
    Daily clearness factor: AR(1), day-to-day persistence 0.6, seasonal mean 0.85 +/- 0.05
    (0.90 mid-January, 0.80 mid-July: summer is the cloudier, wetter season in the Hexi
    corridor), standard deviation 0.12, clipped to [0.2, 1.0]: all assumptions.
    GHI split into DNI/DHI with the Erbs model; fixed-tilt plane of array at tilt 38 deg,
    azimuth 180 deg (due south), isotropic sky, ground albedo 0.25: assumptions.
    Performance ratio 0.80 (temperature, inverter, soiling, wiring losses): assumption.
    Calibration: a linear scale, clipping at 1, so annual full-load hours are 1,600 h:
    assumption (typical fixed-tilt utilisation in Dunhuang/Jiuquan before curtailment).

Wind
    Hub-height speed: standard-normal AR(1), hourly persistence 0.97 (assumption), mapped through
    the normal CDF to a Weibull distribution of shape k = 2.0 (assumption), then multiplied by a
    seasonal factor (monthly table, about +/-15 %, windiest March-May, calmest August-September)
    and a diurnal factor (+/-10 %, peak at 17:00 local): assumptions.
    Generic 2 MW-class power curve: cut-in 3 m/s, rated 12 m/s, cut-out 25 m/s, cubic between
    cut-in and rated: assumption. Farm efficiency 0.88 (wake and electrical losses): assumption.
    Calibration: the Weibull scale is found by bisection so annual full-load hours are 2,200 h
    (assumption: Gansu fleet average available hours, about 1,770 h generated, a figure not in
    FACTS and unverified, plus the 19 % wind curtailment of 2018 from FACTS). The output is not
    rescaled, so the power curve keeps its physical shape.
    Reference, not a calibration target: Yumen wind farm mean 7.89 m/s at 70 m, 427 W/m2
    (FACTS). A single free parameter cannot hit both the 2,200 h target and this mean speed;
    the script prints the resulting mean speed, and the power density at standard air density
    1.225 kg/m3 (ISA sea level, used only for that comparison), beside it.

Hydro
    Run-of-river seasonal shape from 0.2 (mid-January) to 0.7 (mid-July), with the peak
    sharpness found by bisection so annual full-load hours are 3,500 h: all assumptions.
    Multiplicative day-to-day noise: AR(1), persistence 0.8, standard deviation 5 %: assumption.

Load
    Daily cycle from a 24-hour table (trough 02:00-06:00, peaks 10:00-12:00 and 19:00-21:00,
    about +/-12 %), seasonal factor (winter peak +4.5 %, summer peak +1.5 %, spring and autumn
    -3 %), weekend factor 0.97, normalised to an annual mean of exactly 1.0: all assumptions.
    Public holidays (Spring Festival) are not modelled.

CSP solar field (tower)
    DNI: the Erbs DNI of the PV chain above (same cloudy GHI, same mid-hour solar position).
    Heliostat optical factor 0.6 + 0.4 cos(apparent zenith), a stand-in for an annual-average
    tower field whose cosine losses shrink as the sun rises: assumption.
    Design point: DNI 900 W/m2 at solar noon on the spring equinox (zenith = latitude, factor
    0.906): assumption. Output = DNI x factor / (900 x 0.906), clipped to [0, 1] (the field
    defocuses above design); 0 below 5 deg apparent solar elevation: assumption.
    No calibration to a target. Check only: field full-load hours x solar multiple / 8760 should
    lie near the electric capacity factors of published plants before storage and plant losses
    (FACTS: Dunhuang 100 MW tower expects 390-483 GWh/yr, 0.45-0.55; Dacheng 50 MW Fresnel with
    15 h storage designed for 214 GWh/yr, 0.49). Solar multiples 2.5-3: assumption.

Temperature
    Seasonal cycle: -9 C mid-January, +22 C mid-July, annual mean 7.5 C (assumption: typical
    climate normals for Jiuquan); an annual cosine plus a semi-annual harmonic meets all three.
    Diurnal cycle: minimum at 07:00, maximum at 16:00 local, joined by two half-cosines (9 h
    warming, 15 h cooling), amplitude 6 C times the PV daily clearness factor / 0.85, so clear
    days swing more: assumptions. The Dunhuang clearness stands in for Jiuquan, about 350 km
    east: assumption.
    Day-to-day anomaly: daily AR(1), standard deviation 3 C, persistence 0.7, placed at local
    noon and interpolated linearly between: assumptions.

Values are rounded to 4 decimals (temperature to 2); the statistics printed are those of the
rounded file.
"""

import argparse
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

OUTPUT = Path(__file__).resolve().parent / "jiuquan_2019_hourly.csv"
YEAR = 2019
TIMEZONE = "Asia/Shanghai"
HOURS_IN_YEAR = 8760
DAYS_IN_YEAR = 365
DECIMALS = 4

SITE_LATITUDE = 40.06
SITE_LONGITUDE = 94.43
SITE_ALTITUDE_M = 1140.0

CLEARNESS_MEAN = 0.85
CLEARNESS_SEASONAL_AMPLITUDE = 0.05
CLEARNESS_SD = 0.12
CLEARNESS_PERSISTENCE = 0.6
CLEARNESS_BOUNDS = (0.2, 1.0)
PV_TILT_DEG = 38.0
PV_AZIMUTH_DEG = 180.0
PV_ALBEDO = 0.25
PV_PERFORMANCE_RATIO = 0.80
PV_TARGET_FLH = 1600.0

WIND_PERSISTENCE = 0.97
WEIBULL_SHAPE = 2.0
# Mid-month speed factors, January to December; the combined modulation is normalised to mean 1.
WIND_MONTHLY_FACTOR = (0.97, 1.02, 1.12, 1.15, 1.12, 1.02, 0.94, 0.87, 0.85, 0.92, 0.98, 0.98)
WIND_DIURNAL_AMPLITUDE = 0.10
WIND_DIURNAL_PEAK_HOUR = 17
CUT_IN_MS = 3.0
RATED_MS = 12.0
CUT_OUT_MS = 25.0
FARM_EFFICIENCY = 0.88
WIND_TARGET_FLH = 2200.0
WEIBULL_SCALE_BRACKET = (3.0, 12.0)
YUMEN_MEAN_SPEED_MS = 7.89
YUMEN_POWER_DENSITY_WM2 = 427.0
STANDARD_AIR_DENSITY = 1.225

HYDRO_WINTER = 0.2
HYDRO_PEAK = 0.7
HYDRO_PEAK_DAY = 196
HYDRO_NOISE_SD = 0.05
HYDRO_NOISE_PERSISTENCE = 0.8
HYDRO_TARGET_FLH = 3500.0
HYDRO_SHARPNESS_BRACKET = (0.2, 10.0)

CSP_OPTICAL_BASE = 0.6
CSP_OPTICAL_COS_WEIGHT = 0.4
CSP_DESIGN_DNI = 900.0
# Solar noon on the spring equinox: the declination is 0, so the zenith equals the latitude.
CSP_DESIGN_ZENITH_DEG = SITE_LATITUDE
CSP_MIN_ELEVATION_DEG = 5.0

TEMPERATURE_JANUARY_C = -9.0
TEMPERATURE_JULY_C = 22.0
TEMPERATURE_ANNUAL_MEAN_C = 7.5
TEMPERATURE_DIURNAL_AMPLITUDE_C = 6.0
TEMPERATURE_MIN_HOUR = 7.0
TEMPERATURE_MAX_HOUR = 16.0
TEMPERATURE_ANOMALY_SD_C = 3.0
TEMPERATURE_ANOMALY_PERSISTENCE = 0.7
TEMPERATURE_DECIMALS = 2
# Loose bounds that only catch a unit or sign slip, not a climate check.
TEMPERATURE_SANITY_BOUNDS_C = (-45.0, 50.0)

# Relative load by local hour 0-23; normalised to mean 1 below.
LOAD_HOURLY = (
    0.97, 0.93, 0.90, 0.88, 0.88, 0.89, 0.92, 0.96, 1.01, 1.06, 1.10, 1.12,
    1.08, 1.02, 1.00, 1.00, 1.01, 1.04, 1.08, 1.11, 1.12, 1.10, 1.05, 1.00,
)
LOAD_WINTER_SUMMER_AMPLITUDE = 0.03
LOAD_WINTER_EXTRA_AMPLITUDE = 0.015
LOAD_WEEKEND_FACTOR = 0.97
MIDWINTER_DAY = 15


def hourly_index():
    """Hour-beginning local timestamps of the year."""
    return pd.date_range(
        f"{YEAR}-01-01", f"{YEAR + 1}-01-01", freq="h", tz=TIMEZONE, inclusive="left"
    )


def day_of_year(index):
    """Fractional day of year (0 at 1 January 00:00) of each timestamp."""
    return (index.day_of_year - 1 + index.hour / 24.0).to_numpy()


def annual_cycle(days, peak_day, harmonic=1):
    """Cosine with `harmonic` cycles a year, 1 on peak_day."""
    return np.cos(2.0 * np.pi * harmonic * (np.asarray(days) - peak_day) / DAYS_IN_YEAR)


def ar1(rng, n, persistence):
    """Stationary standard-normal AR(1) series, so its marginal is N(0, 1) from the first step."""
    innovations = rng.standard_normal(n)
    series = np.empty(n)
    series[0] = innovations[0]
    innovation_scale = math.sqrt(1.0 - persistence**2)
    for t in range(1, n):
        series[t] = persistence * series[t - 1] + innovation_scale * innovations[t]
    return series


def solve_monotone(func, target, lo, hi, iterations=80):
    """Bisection for x in [lo, hi] with func(x) == target, func monotone on the interval."""
    gap_lo = func(lo) - target
    if gap_lo * (func(hi) - target) > 0.0:
        raise ValueError(f"target {target} is not bracketed by [{lo}, {hi}]")
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        gap_mid = func(mid) - target
        if (gap_mid > 0.0) == (gap_lo > 0.0):
            lo, gap_lo = mid, gap_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def daily_clearness(rng):
    """Daily factor on clear-sky GHI; persistent weather spells, clearer in winter."""
    days = np.arange(DAYS_IN_YEAR) + 0.5
    seasonal = CLEARNESS_SEASONAL_AMPLITUDE * annual_cycle(days, MIDWINTER_DAY)
    anomaly = CLEARNESS_SD * ar1(rng, DAYS_IN_YEAR, CLEARNESS_PERSISTENCE)
    return np.clip(CLEARNESS_MEAN + seasonal + anomaly, *CLEARNESS_BOUNDS)


def sky_conditions(index, clearness):
    """Mid-hour solar position and GHI/DNI/DHI (W/m2): clear sky dimmed by the daily clearness."""
    site = pvlib.location.Location(
        SITE_LATITUDE, SITE_LONGITUDE, tz=TIMEZONE, altitude=SITE_ALTITUDE_M, name="Dunhuang"
    )
    # Mid-hour geometry stands for the hour-beginning interval's average.
    mid_hour = index + pd.Timedelta(minutes=30)
    solar_position = site.get_solarposition(mid_hour)
    clear_sky = site.get_clearsky(mid_hour, model="ineichen", solar_position=solar_position)
    ghi = clear_sky["ghi"] * clearness[index.day_of_year - 1]
    # Erbs assigns more diffuse light to cloudier days, which the tilted plane needs to see.
    split = pvlib.irradiance.erbs(ghi, solar_position["zenith"], mid_hour)
    return solar_position.assign(ghi=ghi, dni=split["dni"], dhi=split["dhi"])


def plane_of_array_irradiance(sky):
    """Hourly-mean POA irradiance (W/m2) on the fixed-tilt PV plane."""
    poa = pvlib.irradiance.get_total_irradiance(
        PV_TILT_DEG,
        PV_AZIMUTH_DEG,
        sky["apparent_zenith"],
        sky["azimuth"],
        sky["dni"],
        sky["ghi"],
        sky["dhi"],
        albedo=PV_ALBEDO,
        model="isotropic",
    )
    return poa["poa_global"].fillna(0.0).to_numpy()


def pv_availability(sky):
    """PV availability at the full-load-hour target; returns (series, scale)."""
    raw = np.clip(plane_of_array_irradiance(sky) / 1000.0 * PV_PERFORMANCE_RATIO, 0, 1)
    scale = solve_monotone(lambda s: np.clip(s * raw, 0.0, 1.0).sum(), PV_TARGET_FLH, 0.1, 10.0)
    return np.clip(scale * raw, 0.0, 1.0), scale


def heliostat_factor(zenith_deg):
    """Relative optical efficiency of a tower's heliostat field, higher with the sun higher."""
    # Cosine losses, the main zenith-dependent loss of a heliostat, shrink as the sun rises.
    return CSP_OPTICAL_BASE + CSP_OPTICAL_COS_WEIGHT * np.cos(np.radians(zenith_deg))


def csp_field_output(sky):
    """CSP solar-field heat as a fraction of its design-point output, in [0, 1]."""
    design = CSP_DESIGN_DNI * heliostat_factor(CSP_DESIGN_ZENITH_DEG)
    heat = sky["dni"] * heliostat_factor(sky["apparent_zenith"]) / design
    # Near the horizon, blocking and shading between heliostats leave the receiver too little heat.
    heat = heat.where(sky["apparent_elevation"] >= CSP_MIN_ELEVATION_DEG, 0.0)
    # Above the design point the field would defocus heliostats, so output is capped at 1.
    return np.clip(heat.to_numpy(), 0.0, 1.0)


def wind_modulation(index):
    """Seasonal times diurnal multiplier on hub-height speed, mean 1 over the year."""
    month_starts = pd.date_range(f"{YEAR}-01-01", periods=12, freq="MS")
    mid_month = month_starts.day_of_year.to_numpy() - 1 + month_starts.days_in_month.to_numpy() / 2
    # Interpolating between mid-month values avoids steps in speed at month boundaries.
    seasonal = np.interp(day_of_year(index), mid_month, WIND_MONTHLY_FACTOR, period=DAYS_IN_YEAR)
    diurnal = 1.0 + WIND_DIURNAL_AMPLITUDE * np.cos(
        2.0 * np.pi * (index.hour.to_numpy() - WIND_DIURNAL_PEAK_HOUR) / 24.0
    )
    modulation = seasonal * diurnal
    return modulation / modulation.mean()


def weibull_speed(gaussian, weibull_scale, modulation):
    """Map standard-normal values to Weibull speeds (m/s) and apply the modulation."""
    # erfc keeps the upper tail exact where 1 - CDF would round to zero.
    exceedance = 0.5 * np.vectorize(math.erfc)(gaussian / math.sqrt(2.0))
    return weibull_scale * (-np.log(exceedance)) ** (1.0 / WEIBULL_SHAPE) * modulation


def power_curve(speed):
    """Generic 2 MW-class turbine output as a fraction of rating, before farm losses."""
    ramp = (speed**3 - CUT_IN_MS**3) / (RATED_MS**3 - CUT_IN_MS**3)
    output = np.where(speed < RATED_MS, ramp, 1.0)
    return np.where((speed >= CUT_IN_MS) & (speed < CUT_OUT_MS), output, 0.0)


def wind_availability(index, rng):
    """Wind availability calibrated through the Weibull scale; returns (series, speed, scale)."""
    gaussian = ar1(rng, len(index), WIND_PERSISTENCE)
    modulation = wind_modulation(index)

    def full_load_hours(weibull_scale):
        speed = weibull_speed(gaussian, weibull_scale, modulation)
        return (FARM_EFFICIENCY * power_curve(speed)).sum()

    weibull_scale = solve_monotone(full_load_hours, WIND_TARGET_FLH, *WEIBULL_SCALE_BRACKET)
    speed = weibull_speed(gaussian, weibull_scale, modulation)
    return FARM_EFFICIENCY * power_curve(speed), speed, weibull_scale


def hydro_availability(index, rng):
    """Run-of-river availability calibrated by peak sharpness; returns (series, sharpness)."""
    days = np.arange(DAYS_IN_YEAR) + 0.5
    # 0 at the winter low, 1 at the summer peak.
    season = 0.5 * (1.0 + annual_cycle(days, HYDRO_PEAK_DAY))
    noise = 1.0 + HYDRO_NOISE_SD * ar1(rng, DAYS_IN_YEAR, HYDRO_NOISE_PERSISTENCE)
    day = index.day_of_year.to_numpy() - 1

    def daily(sharpness):
        shape = HYDRO_WINTER + (HYDRO_PEAK - HYDRO_WINTER) * season**sharpness
        return np.clip(shape * noise, 0.0, 1.0)

    sharpness = solve_monotone(
        lambda p: daily(p)[day].sum(), HYDRO_TARGET_FLH, *HYDRO_SHARPNESS_BRACKET
    )
    return daily(sharpness)[day], sharpness


def load_shape(index):
    """Base-load shape with daily, seasonal and weekly cycles, mean exactly 1."""
    hourly = np.asarray(LOAD_HOURLY)[index.hour.to_numpy()]
    phase = day_of_year(index)
    # Two peaks a year (heating in winter, cooling in summer), the winter one higher.
    seasonal = (
        1.0
        + LOAD_WINTER_SUMMER_AMPLITUDE * annual_cycle(phase, MIDWINTER_DAY, harmonic=2)
        + LOAD_WINTER_EXTRA_AMPLITUDE * annual_cycle(phase, MIDWINTER_DAY)
    )
    weekly = np.where(index.day_of_week.to_numpy() >= 5, LOAD_WEEKEND_FACTOR, 1.0)
    load = hourly * seasonal * weekly
    return load / load.mean()


def seasonal_temperature(days):
    """Smooth seasonal air temperature (C): the January and July figures at mid-month."""
    half_range = 0.5 * (TEMPERATURE_JULY_C - TEMPERATURE_JANUARY_C)
    # One cosine would put the annual mean midway between January and July; the semi-annual
    # harmonic carries the difference (it moves midwinter and midsummer one way, spring and
    # autumn the other) and averages to zero, so the annual mean stays exact.
    semi_annual = 0.5 * (TEMPERATURE_JULY_C + TEMPERATURE_JANUARY_C) - TEMPERATURE_ANNUAL_MEAN_C
    return (
        TEMPERATURE_ANNUAL_MEAN_C
        - half_range * annual_cycle(days, MIDWINTER_DAY)
        + semi_annual * annual_cycle(days, MIDWINTER_DAY, harmonic=2)
    )


def diurnal_temperature_shape(hour):
    """-1 at the morning minimum, +1 at the afternoon maximum, mean 0 over the day."""
    # Two half-cosines of unequal length: a short warming after sunrise, a long cooling overnight.
    since_minimum = (hour - TEMPERATURE_MIN_HOUR) % 24.0
    warming = TEMPERATURE_MAX_HOUR - TEMPERATURE_MIN_HOUR
    return np.where(
        since_minimum < warming,
        -np.cos(np.pi * since_minimum / warming),
        np.cos(np.pi * (since_minimum - warming) / (24.0 - warming)),
    )


def air_temperature(index, clearness, rng):
    """Hourly air temperature (C): seasonal and diurnal cycles plus a day-to-day anomaly."""
    # Mid-hour values stand for the hour-beginning interval, as for the irradiance.
    days = day_of_year(index) + 0.5 / 24.0
    # Clear days warm more by day and cool more by night; scaling by the nominal mean clearness
    # keeps the typical swing at the stated amplitude.
    amplitude = TEMPERATURE_DIURNAL_AMPLITUDE_C * clearness[index.day_of_year - 1] / CLEARNESS_MEAN
    diurnal = amplitude * diurnal_temperature_shape(index.hour.to_numpy() + 0.5)
    # Daily anomalies sit at local noon and are interpolated between them: no step at midnight.
    daily_anomaly = TEMPERATURE_ANOMALY_SD_C * ar1(
        rng, DAYS_IN_YEAR, TEMPERATURE_ANOMALY_PERSISTENCE
    )
    anomaly = np.interp(days, np.arange(DAYS_IN_YEAR) + 0.5, daily_anomaly)
    return seasonal_temperature(days) + diurnal + anomaly


def build_profiles(seed):
    """All profiles on the hourly index, plus the calibration results to report."""
    index = hourly_index()
    # Independent streams per process: changing one generator leaves the others' draws intact.
    # Child streams depend only on their position, so new streams go at the end of the list.
    streams = np.random.SeedSequence(seed).spawn(4)
    clearness_rng, wind_rng, hydro_rng, temperature_rng = (
        np.random.default_rng(stream) for stream in streams
    )
    # One daily clearness series drives PV, the CSP field and the diurnal temperature swing.
    clearness = daily_clearness(clearness_rng)
    sky = sky_conditions(index, clearness)
    pv, pv_scale = pv_availability(sky)
    wind, speed, weibull_scale = wind_availability(index, wind_rng)
    hydro, hydro_sharpness = hydro_availability(index, hydro_rng)
    frame = pd.DataFrame(
        {
            "timestamp": [t.isoformat() for t in index],
            "wind": wind,
            "pv": pv,
            "hydro": hydro,
            "load": load_shape(index),
            "csp_field": csp_field_output(sky),
            "temperature": air_temperature(index, clearness, temperature_rng),
        }
    )
    frame = frame.round(
        {**dict.fromkeys(frame.columns, DECIMALS), "temperature": TEMPERATURE_DECIMALS}
    )
    calibration = {
        "seed": seed,
        "wind Weibull scale (m/s)": weibull_scale,
        "wind mean speed at hub (m/s)": speed.mean(),
        "wind power density, 1.225 kg/m3 (W/m2)": 0.5 * STANDARD_AIR_DENSITY * np.mean(speed**3),
        "pv scale on PR-based output": pv_scale,
        "pv mean daily clearness": clearness.mean(),
        "hydro peak sharpness exponent": hydro_sharpness,
        "csp annual DNI (kWh/m2)": sky["dni"].sum() / 1000.0,
        "csp heliostat factor at design point": heliostat_factor(CSP_DESIGN_ZENITH_DEG),
    }
    return frame, calibration


def validate(frame):
    """Refuse to write a file that breaks the column contract."""
    if len(frame) != HOURS_IN_YEAR:
        raise ValueError(f"{len(frame)} rows, expected {HOURS_IN_YEAR}")
    if frame.isna().any().any():
        raise ValueError("profiles contain NaN")
    for column in ("wind", "pv", "hydro", "csp_field"):
        if not frame[column].between(0.0, 1.0).all():
            raise ValueError(f"{column} outside [0, 1]")
    if not (frame["load"] > 0.0).all():
        raise ValueError("load must be positive")
    if not frame["temperature"].between(*TEMPERATURE_SANITY_BOUNDS_C).all():
        raise ValueError(f"temperature outside {TEMPERATURE_SANITY_BOUNDS_C} C")


def write_atomically(frame, path):
    """Write via a temporary file in the same directory so readers never see a partial file."""
    # Exclusive create, not mkstemp, so the file gets the usual umask permissions rather than 0600.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    stream = open(temporary, "x", newline="")
    try:
        with stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def summarise(path, calibration):
    """Print statistics of the file as written, after rounding."""
    written = pd.read_csv(path)
    months = pd.to_datetime(written["timestamp"].str[:19]).dt.month
    values = written.drop(columns="timestamp")
    print(f"wrote {path.name}: {len(written)} rows, {path.stat().st_size / 1000:.1f} kB")
    four_decimals = "{:.4f}".format
    # Temperature is written with 2 decimals; show it that way.
    formats = {"float_format": four_decimals, "formatters": {"temperature": "{:.2f}".format}}
    print("calibration")
    for name, value in calibration.items():
        shown = f"{value:>10}" if isinstance(value, int) else f"{value:10.4f}"
        print(f"  {name:<42} {shown}")
    print(f"  {'Yumen reference mean speed, 70 m (m/s)':<42} {YUMEN_MEAN_SPEED_MS:10.4f}")
    print(f"  {'Yumen reference power density (W/m2)':<42} {YUMEN_POWER_DENSITY_WM2:10.4f}")
    print("annual")
    for column in ("wind", "pv", "hydro", "csp_field"):
        print(f"  {column + ' full-load hours':<42} {values[column].sum():10.2f}")
    print(f"  {'load mean':<42} {values['load'].mean():10.6f}")
    temperature = values["temperature"]
    days = written["timestamp"].str[:10]
    daily_range = temperature.groupby(days).max() - temperature.groupby(days).min()
    print(f"  {'temperature mean (C)':<42} {temperature.mean():10.2f}")
    print(f"  {'temperature mean daily range (C)':<42} {daily_range.mean():10.2f}")
    correlation = values["wind"].corr(values["pv"])
    print(f"  {'correlation wind-pv (hourly, Pearson)':<42} {correlation:10.4f}")
    print("range")
    print(values.agg(["min", "max"]).to_string(**formats))
    print("monthly means")
    print(values.groupby(months.rename("month")).mean().to_string(**formats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    args = parser.parse_args()
    frame, calibration = build_profiles(args.seed)
    validate(frame)
    write_atomically(frame, OUTPUT)
    summarise(OUTPUT, calibration)


if __name__ == "__main__":
    main()
