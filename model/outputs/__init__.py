"""Outputs: results folders, tables, display quantities and the meeting reports."""
