"""Measures, plots and exports."""
