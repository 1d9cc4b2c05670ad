"""Compact, atomic files for weather years.

Values are rounded to binary steps, so each is exact in float32 and its trailing mantissa bits
are zero: fractions and load shapes to 2^-13 (1.2e-4, about 4 decimals), temperature and wind
speed to 2^-6 (0.016), irradiance to 1 W/m2. They are stored as float32 in Parquet with zstd and
byte-stream-split encoding, which groups the floats' bytes so the compressor sees the zero
bytes together. (Rounding to decimals leaves the low bits of float32 looking random and makes
the files half as large again.) The timestamp column keeps its time zone (Asia/Shanghai). Every file is written to
a temporary name in its own folder and moved into place with os.replace, so a reader never sees
half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

STEP_EXPONENT = {"temperature": -6, "wind_speed_hub": -6, "ghi": 0, "dni": 0, "dhi": 0}
DEFAULT_STEP_EXPONENT = -13
ZSTD_LEVEL = 19


def weather_path(out_dir: Path, weather_year: int) -> Path:
    return Path(out_dir) / f"jiuquan_w{weather_year:02d}.parquet"


def statistics_path(out_dir: Path) -> Path:
    return Path(out_dir) / "statistics.csv"


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers rounded to their binary step and stored as float32."""
    values = frame.drop(columns="timestamp")
    steps = pd.Series({name: 2.0 ** STEP_EXPONENT.get(name, DEFAULT_STEP_EXPONENT) for name in values.columns})
    rounded = (values / steps).round() * steps
    return pd.concat([frame[["timestamp"]], rounded.astype("float32")], axis=1)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    floats = [name for name in frame.columns if name != "timestamp"]
    _atomically(path, lambda temporary: pq.write_table(
        table, temporary, compression="zstd", compression_level=ZSTD_LEVEL,
        use_dictionary=False, use_byte_stream_split=floats))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    _atomically(path, lambda temporary: frame.to_csv(temporary, index=False, lineterminator="\n"))


def _atomically(path: Path, write) -> None:
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
