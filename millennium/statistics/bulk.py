"""Fast reads and writes of many observations at once: executemany on SQLite, COPY on PostgreSQL.

The ORM would build one Python object per row; for millions of rows that costs minutes and gigabytes.
These functions move numpy columns straight to and from the database, inside the caller's transaction.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from django.db import connection

from .models import Measure, Observation, ObservationChange

TABLE = Observation._meta.db_table
COLUMNS = ["measure_id", "area_id", "year", "sex", "value", "flags", "batch_id"]
CHUNK = 250_000
# Above this many new rows, rebuilding indexes and foreign keys once beats maintaining them row by row.
LARGE_LOAD = 200_000


def observation_keys(measure_id, area_id, year, sex) -> np.ndarray:
    """One int64 per observation key (measure, area, year, sex): 29 + 20 + 12 + 2 bits, years 1000 … 5095."""
    sex_code = pd.Categorical(sex, categories=["T", "K", "M"]).codes.astype("int64")
    return (((np.asarray(measure_id, "int64") << 20) + np.asarray(area_id, "int64")) << 12
            | (np.asarray(year, "int64") - 1000)) << 2 | sex_code


KEY_SQL = ("(((measure_id << 20) + area_id) << 12 | (year - 1000)) << 2 "
           "| CASE sex WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END")


def fetch_observations(columns: list[tuple[str, str, str]], measure_ids: list[int]) -> np.ndarray:
    """Observations of these measures as one numpy structured array: the packed key, then `columns`.

    `columns` are (name, SQL expression, numpy dtype). The key (`observation_keys` layout) is computed by
    the database, so that few values per row cross into Python, and rows become one structured array per
    chunk: no Python object per value survives the fetch.
    """
    row_type = np.dtype([("key", "int64")] + [(name, dtype) for name, _, dtype in columns])
    select = ", ".join([KEY_SQL] + [sql for _, sql, _ in columns])
    # One sequential pass is faster than index look-ups once the measures cover much of the table.
    whole_table = len(measure_ids) > Measure.objects.count() / 2
    queries = [([], "")] if whole_table else [
        (chunk, f"WHERE measure_id IN ({', '.join(['%s'] * len(chunk))})")
        for chunk in (measure_ids[i:i + 500] for i in range(0, len(measure_ids), 500))
    ]
    parts = [np.empty(0, row_type)]
    with connection.cursor() as cursor:
        for params, where in queries:
            cursor.execute(f"SELECT {select} FROM {TABLE} {where}", params)
            while rows := cursor.fetchmany(CHUNK):
                parts.append(np.fromiter(rows, dtype=row_type, count=len(rows)))
    found = np.concatenate(parts)
    if whole_table:
        found = found[np.isin(key_parts(found["key"])[0], measure_ids)]
    return found


def key_parts(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """measure_id, area_id, year and sex code (0 T, 1 K, 2 M) of packed observation keys."""
    return key >> 34, (key >> 14) & (2**20 - 1), ((key >> 2) & (2**12 - 1)) + 1000, key & 3


def existing_observations(measure_ids: list[int]) -> pd.DataFrame:
    """id, key and value of every stored observation of these measures."""
    found = fetch_observations([("id", "id", "int64"), ("value", "value", "float64")], measure_ids)
    return pd.DataFrame({"id": found["id"], "key": found["key"], "value": found["value"]})


def batches_of(ids: np.ndarray) -> np.ndarray:
    """The batch of each of these observations. Asked only for the changed ones (usually few): fetching the
    batch of every stored row with the comparison would slow every re-import of millions of rows."""
    found = {}
    ids = ids.tolist()
    for start in range(0, len(ids), 500):
        found.update(Observation.objects.filter(id__in=ids[start:start + 500]).values_list("id", "batch_id"))
    return np.array([found[i] for i in ids], dtype="int64")


def insert_rows(table: str, columns: list[str], rows: pd.DataFrame) -> None:
    """Append rows (DataFrame columns in the order of `columns`) inside the caller's transaction."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows.iloc[start:start + CHUNK]
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            # repr-precision floats: a value read back equals the value written, so re-imports see no change;
            # \N is COPY's NULL.
            chunk.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
        else:
            # The raw sqlite3 connection: Django's cursor wrapper triples the time for millions of rows.
            connection.ensure_connection()
            values = [chunk[c].astype(object).where(chunk[c].notna(), None).tolist()
                      if chunk[c].hasnans else chunk[c].tolist() for c in chunk.columns]
            connection.connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})",
                zip(*values),
            )


def insert_observations(rows: pd.DataFrame, batch_id: int) -> None:
    """Insert rows with columns measure_id, area_id, year, sex, value."""
    frame = rows[["measure_id", "area_id", "year", "sex", "value"]].assign(flags="", batch_id=batch_id)
    frame["sex"] = frame["sex"].astype(str)
    insert_rows(TABLE, COLUMNS, frame)


def update_values(ids: np.ndarray, values: np.ndarray, batch_id: int) -> None:
    """Set new values (and the batch that brought them) on existing observations."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            cursor.executemany(
                f"UPDATE {TABLE} SET value = %s, batch_id = %s WHERE id = %s",
                zip(values[start:start + CHUNK].tolist(), [batch_id] * len(ids[start:start + CHUNK]),
                    ids[start:start + CHUNK].tolist()),
            )


def record_changes(ids: np.ndarray, previous_batch_ids: np.ndarray, old_values: np.ndarray,
                   new_values: np.ndarray, batch_id: int) -> None:
    """One ObservationChange row per changed observation (only changed ones: usually few)."""
    if len(ids):
        insert_rows(ObservationChange._meta.db_table,
                    ["observation_id", "previous_batch_id", "old_value", "new_value", "batch_id"],
                    pd.DataFrame({"observation_id": ids, "previous_batch_id": previous_batch_ids,
                                  "old_value": old_values, "new_value": new_values, "batch_id": batch_id}))


@contextmanager
def deferred_upkeep(new_rows: int) -> Iterator[None]:
    """For large loads, drop the secondary indexes (and on PostgreSQL the foreign keys) and rebuild them after.

    The advice of the PostgreSQL manual, "Populating a Database" (14.4: remove indexes, remove foreign key
    constraints): one sort and one join afterwards are far cheaper than millions of single-row checks.
    Must run inside the caller's transaction, so that a failure restores them with everything else.
    The unique key stays: it is what keeps observations unique.
    """
    if new_rows < LARGE_LOAD:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [TABLE, TABLE])
            indexes = cursor.fetchall()
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [TABLE])
            foreign_keys = cursor.fetchall()
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'", [TABLE])
            indexes, foreign_keys = cursor.fetchall(), []
        if foreign_keys:
            # ALTER TABLE refuses while deferred checks of this transaction's earlier rows are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        if foreign_keys:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
