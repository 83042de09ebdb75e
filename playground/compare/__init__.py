"""Comparisons: 2–6 runs trained side by side, fairly, in lockstep."""
