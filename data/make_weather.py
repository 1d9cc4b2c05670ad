"""Generate synthetic weather years of hourly profiles for Jiuquan (model.inputs.weather).

    python data/make_weather.py [--years 30] [--calendar-year 2019] [--out data/weather] [--seed 2019]

writes OUT/jiuquan_w01.parquet ... one file per weather year, all laid on the same calendar
year, and OUT/statistics.csv, then prints the calibration (targets against what the years
achieved), the statistics across years, the weather year with the median wind, and the run time.
Deterministic: the same arguments give the same files. See data/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing the package

from model.inputs.weather import generate, report  # noqa: E402
from model.inputs.weather.statistics import median_wind_year, summarise  # noqa: E402


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=30, help="number of weather years (default 30)")
    parser.add_argument("--calendar-year", type=int, default=generate.DEFAULT_CALENDAR_YEAR,
                        help="calendar year every weather year is laid on (default 2019)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "weather", help="output folder")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED,
                        help="base seed; weather year k uses (seed, k) (default 2019)")
    args = parser.parse_args(argv)
    if args.years < 1:
        parser.error("--years must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    # pvlib 0.16 and windpowerlib 0.2 still call pandas APIs that pandas 3 has deprecated;
    # harmless here, and they would bury the printout.
    warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning, module="pvlib|windpowerlib")
    started = time.perf_counter()
    climate = generate.build_climate(args.calendar_year)
    statistics = generate.write_weather_years(climate, args.out, args.years, base_seed=args.seed)
    elapsed = time.perf_counter() - started
    print(report.files_table(args.out, args.years))
    print()
    print(report.calibration_table(climate, statistics).to_string(index=False, na_rep="-",
                                                                 float_format="{:.2f}".format))
    print()
    print(summarise(statistics).to_string(float_format="{:.2f}".format))
    print()
    print(f"median wind year: w{median_wind_year(statistics):02d} "
          f"(wind full-load hours closest to the median, {statistics['wind_flh_h'].median():.1f} h)")
    print(f"generated {args.years} weather years of {args.calendar_year} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
