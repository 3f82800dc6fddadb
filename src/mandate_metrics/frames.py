"""Small operations on frames that pandas does slowly on Arrow-backed text.

pandas 3 stores text in Arrow, and ``Series.isin`` on such a column against a large set of values
walks the set in Python: 350,000 investigation ids against 350,000 took 1.2 s, where Arrow's own
hash lookup takes 0.08 s.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def member(values: pd.Series, allowed: pd.Series | pd.Index | Iterable[object]) -> np.ndarray:
    """``values.isin(allowed)`` as a boolean array (a missing value is never a member)."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    pool = pd.Series(list(allowed) if not isinstance(allowed, (pd.Series, pd.Index)) else allowed)
    if not (pd.api.types.is_string_dtype(values) and pd.api.types.is_string_dtype(pool)):
        return values.isin(pool).to_numpy(dtype=bool)
    found = pc.is_in(
        pa.array(values.astype("str"), type=pa.large_string()),
        value_set=pa.array(pool.astype("str").dropna().unique(), type=pa.large_string()),
        skip_nulls=True,
    )
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def repeated(values: pd.Series) -> np.ndarray:
    """Where a value occurs more than once (every occurrence; missing values never count).

    One hash pass over the Arrow array (``value_counts``), then a lookup of the few repeated values:
    pandera's ``unique`` check runs ``is_unique`` and then ``duplicated``, two passes over 1M ids.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    array = pa.array(values, from_pandas=True)  # Arrow-backed text: the column's own buffers
    counts = pc.value_counts(array.drop_null())
    twice = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(twice) == 0:
        return np.zeros(len(values), dtype=bool)
    found = pc.fill_null(pc.is_in(array, value_set=twice, skip_nulls=True), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
