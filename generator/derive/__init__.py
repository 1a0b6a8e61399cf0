"""Derived facts: pure functions of (Dataset, as_of) — current risk and class, due dates, what each patient needs,
the lists and their items, indicators, trends, the monthly report's numbers, what changed since the last build.
Reads no file and no clock. May import generator.contract (and the Dataset it describes).
"""
