"""The sample writer, apart from the pipeline: the blank standard template (``jingfang init``) and the synthetic
sample workbook (``jingfang sample``), written with openpyxl. May import contract, derive (to make every list show
something) and present.outpaths (the refusal to write over a file); nothing imports it but the CLI and the tests.
"""
