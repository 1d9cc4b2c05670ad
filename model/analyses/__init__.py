"""Analyses built on single runs: the run pipeline, sweeps, target curve, backcast, measures."""
