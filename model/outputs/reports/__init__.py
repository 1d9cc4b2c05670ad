"""Pieces of the meeting reports: tables shown in display units, the page, the hourly viewer."""
