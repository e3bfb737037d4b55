"""Reads for screens, one module per screen: home (and inbox), grid, entry, review.

Each function's query count does not grow with the number of communes.
"""
