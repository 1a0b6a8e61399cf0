"""Presentation: what people read — the View a page is made from, the site's pages (Markdown/HTML fragments, each
declaring its access level), the documents (Jinja sandbox, Word), the exports and their safe output paths. Decides
no rule. May import generator.contract, generator.read (to open templates) and generator.derive.
"""
