"""Batch work on a Ray cluster (``--ray [ADDRESS]``): encoding for ``ingest`` and claim
extraction for ``claims``, with Ray Data actors that load their models once."""
