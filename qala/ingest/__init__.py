"""Bringing documents in: readers for files, folders and JSON Lines, and the batch runner that
extracts them (in this process, in worker processes, or on a Dask cluster) and writes them into
one store.

    ingest_paths(engine, ["releases/"], workers=2) -> IngestSummary
"""

from qala.ingest.batch import IngestSummary, extract_document, ingest_items, ingest_paths
from qala.ingest.readers import ReadFailure, count_items, read_items

__all__ = ["IngestSummary", "ReadFailure", "count_items", "extract_document", "ingest_items",
           "ingest_paths", "read_items"]
