"""Batch sensitivity sweeps: designs, point storage, workers, and the Dask runner."""
