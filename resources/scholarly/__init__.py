"""Scholarly metadata from outside: arXiv's abstracts, authors, dates and DOIs.

`arxiv.py` asks the arXiv API (batched, rate-limited, retried) and reads its Atom answers;
`enrich.py` writes what came back onto resources without overwriting a curator's edits.
"""
