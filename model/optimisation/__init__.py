"""Optimisation: the LP from the families' declarations, its modes, the HiGHS solve and the self-check."""
