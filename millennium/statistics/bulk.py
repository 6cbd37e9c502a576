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

from .models import Measure, Observation

TABLE = Observation._meta.db_table
COLUMNS = ["measure_id", "area_id", "year", "sex", "value", "flags", "batch_id"]
CHUNK = 250_000
# Above this many new rows, rebuilding indexes and foreign keys once beats maintaining them row by row.
LARGE_LOAD = 200_000


def observation_keys(measure_id, area_id, year, sex) -> np.ndarray:
    """One int64 per observation key (measure, area, year, sex): 30 + 20 + 9 + 2 bits."""
    sex_code = pd.Categorical(sex, categories=["T", "K", "M"]).codes.astype("int64")
    return (((np.asarray(measure_id, "int64") << 20) + np.asarray(area_id, "int64")) << 9
            | (np.asarray(year, "int64") - 1800)) << 2 | sex_code


def existing_observations(measure_ids: list[int]) -> pd.DataFrame:
    """id, key and value of every stored observation of these measures."""
    # The key is computed by the database (same layout as `observation_keys`), and rows become one
    # structured numpy array per chunk: no Python object per value survives the fetch.
    key_sql = ("(((measure_id << 20) + area_id) << 9 | (year - 1800)) << 2 "
               "| CASE sex WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END")
    row_type = np.dtype([("id", "int64"), ("key", "int64"), ("value", "float64")])
    # One sequential pass is faster than index look-ups once the measures cover much of the table.
    whole_table = len(measure_ids) > Measure.objects.count() / 2
    queries = [([], "")] if whole_table else [
        (chunk, f"WHERE measure_id IN ({', '.join(['%s'] * len(chunk))})")
        for chunk in (measure_ids[i:i + 500] for i in range(0, len(measure_ids), 500))
    ]
    parts = [np.empty(0, row_type)]
    with connection.cursor() as cursor:
        for params, where in queries:
            cursor.execute(f"SELECT id, {key_sql}, value FROM {TABLE} {where}", params)
            while rows := cursor.fetchmany(CHUNK):
                parts.append(np.fromiter(rows, dtype=row_type, count=len(rows)))
    found = np.concatenate(parts)
    if whole_table:
        found = found[np.isin(found["key"] >> 31, measure_ids)]
    return pd.DataFrame({"id": found["id"], "key": found["key"], "value": found["value"]})


def insert_observations(rows: pd.DataFrame, batch_id: int) -> None:
    """Insert rows with columns measure_id, area_id, year, sex, value."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows.iloc[start:start + CHUNK]
        if connection.vendor == "postgresql":
            _copy_in(chunk, batch_id)
        else:
            # The raw sqlite3 connection: Django's cursor wrapper triples the time for millions of rows.
            connection.ensure_connection()
            connection.connection.executemany(
                    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, '', ?)",
                    zip(chunk["measure_id"].tolist(), chunk["area_id"].tolist(), chunk["year"].tolist(),
                        chunk["sex"].astype(str).tolist(), chunk["value"].tolist(),
                        [batch_id] * len(chunk)),
                )


def _copy_in(chunk: pd.DataFrame, batch_id: int) -> None:
    buffer = io.StringIO()
    frame = chunk[["measure_id", "area_id", "year", "sex", "value"]].assign(flags="", batch_id=batch_id)
    # repr-precision floats: the value read back equals the value written, so re-imports find no change.
    frame.to_csv(buffer, sep="\t", header=False, index=False, float_format=None)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def update_values(ids: np.ndarray, values: np.ndarray, batch_id: int) -> None:
    """Set new values (and the batch that brought them) on existing observations."""
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            cursor.executemany(
                f"UPDATE {TABLE} SET value = %s, batch_id = %s WHERE id = %s",
                zip(values[start:start + CHUNK].tolist(), [batch_id] * len(ids[start:start + CHUNK]),
                    ids[start:start + CHUNK].tolist()),
            )


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
