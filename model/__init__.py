"""Hexi clean-power dispatch and export model (Jiuquan, Gansu): Pyomo model, HiGHS solver."""

__version__ = "0.1.0"
