"""Validation: raw rows → a typed Dataset and a Report of every problem at once (headers, then each row through the
contract's models, then keys and references across sheets). May import generator.contract and generator.read.
"""
