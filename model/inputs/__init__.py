"""Inputs: scenario files and their declarations, profiles, weather years, validation."""
