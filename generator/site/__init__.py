"""The site: staging the pages in a private folder, the mkdocs processes and the jingfang plugin, the encryption
plugin's internals, the leak gate, the state file, the build stamp, atomic install and serve. May import every stage
below it (contract, read, validate, derive, present).
"""
