"""Synthetic, physically grounded weather years of hourly profiles for the Jiuquan base.

One module a job:
    timebase     the hourly local-time index and daily/monthly helpers
    stochastic   per-year random streams, persistent Gaussian processes, Weibull maps
    sites        coordinates (FACTS) and elevations (assumptions) of the three places
    sky          sun, haze, clouds, GHI/DNI/DHI at Dunhuang; sunshine-hour calibration
    pv           fixed-tilt and single-axis-tracking PV through pvlib (PVWatts)
    csp          a tower's heliostat-field heat from DNI and the sun's position
    wind         hub-height speed, turbine and fleet output; fleet-speed calibration
    temperature  air temperature at Jiuquan
    hydro        run-of-river availability
    load         household, industry and base-load shapes
    generate     the calibrated climate of a calendar year, its weather years, the files
    statistics   per-year statistics and their summary
    files        compact atomic Parquet and CSV output
    report       calibration tables for the printout and data/README.md

data/make_weather.py is the command line; data/README.md documents every figure.
"""
