"""The contract: what the workbook and the product promise, declared once — vocabularies, column types and how a
cell's text becomes a value, one pydantic model per sheet row, problem codes and the report that collects them, the
catalogues of lists, documents and departments, access levels, and the names of the files the product writes.
Declarations and the small pure functions they need; no reading, no rules. Imports nothing else of generator.
"""
