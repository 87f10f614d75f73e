"""Statistical process control for Breakthrough: run charts and control charts.

Pure: imports only the standard library and numpy.
"""
