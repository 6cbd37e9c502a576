"""Observations from any source into the store: compare with what is there, insert, update, count."""

from dataclasses import dataclass

import pandas as pd

from . import bulk
from .models import ImportBatch


@dataclass
class ImportSummary:
    files: int
    measures: int
    new: int
    changed: int
    unchanged: int
    rejected: int
    batch_id: int


def save_observations(batch: ImportBatch, rows: pd.DataFrame, on_phase=lambda name: None) -> ImportSummary:
    """Store rows (measure_id, area_id, year, sex, value) of `batch`; return what was new, changed, unchanged.

    Runs inside the caller's transaction. Changed values are updated and attributed to `batch`, and each
    change is recorded (ObservationChange: old and new value, the batch that had brought the old one), so
    that the batch's page can show it. New rows need no record: they are the batch's own observations.
    """
    on_phase("comparing with the store")
    key = bulk.observation_keys(rows["measure_id"], rows["area_id"], rows["year"], rows["sex"])
    measure_ids = sorted(set(rows["measure_id"].unique().tolist()))
    stored = bulk.existing_observations(measure_ids)
    position = pd.Index(stored["key"]).get_indexer(key)
    is_new = position < 0
    values = rows["value"].to_numpy("float64")
    changed = stored["value"].to_numpy()[position[~is_new]] != values[~is_new]
    on_phase("writing")
    with bulk.deferred_upkeep(int(is_new.sum())):
        bulk.insert_observations(rows[is_new], batch.id)
    changed_at = position[~is_new][changed]
    changed_ids = stored["id"].to_numpy()[changed_at]
    previous_batches = bulk.batches_of(changed_ids)  # before update_values moves them to this batch
    bulk.update_values(changed_ids, values[~is_new][changed], batch.id)
    bulk.record_changes(changed_ids, previous_batches, stored["value"].to_numpy()[changed_at],
                        values[~is_new][changed], batch.id)
    return ImportSummary(files=batch.files, measures=len(measure_ids), new=int(is_new.sum()),
                         changed=int(changed.sum()), unchanged=int((~changed).sum()), rejected=0,
                         batch_id=batch.id)


def close_batch(batch: ImportBatch, summary: ImportSummary, finished_at) -> None:
    batch.rows_new, batch.rows_changed = summary.new, summary.changed
    batch.rows_unchanged, batch.rows_rejected = summary.unchanged, summary.rejected
    batch.finished_at = finished_at
    batch.save()
