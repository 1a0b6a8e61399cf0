"""The application: the pipelines the CLI calls (validate and build a site, passwords and the access file, the README
reference tables). May import every stage below it; only generator.cli imports it (with generator.sample).
"""
