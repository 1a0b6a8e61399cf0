"""The sample writer, apart from the pipeline: the blank standard template (``jingfang init``) and the synthetic
sample workbook (``jingfang sample``), written with openpyxl. May import contract and derive (to make every list show
something); nothing imports it but the CLI and the tests.
"""
