"""The application: what each command does, below the CLI — the build pipeline (build) and the build command around
it (publishing: freshness, passwords, stamp), check/overdue/verify (checking), export (exporting), the Word documents
(documents), passwords and the access file, the option values and click's words in Chinese (commandline), the README
reference tables. May import every stage below it; only generator.cli imports it (with generator.sample).
"""
