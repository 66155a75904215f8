"""What every layer may import: the error types and atomic file writing.

Imports nothing else of thermosat.
"""
