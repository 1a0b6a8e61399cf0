"""Reading: files as they are given (regular files only, size-capped) and workbooks as raw rows with their real Excel
row numbers (python-calamine, and a bounded XML pre-scan for far cells, error values and formulas). Knows nothing of
what a cell means. May import generator.contract.
"""
