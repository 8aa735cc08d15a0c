"""Reading, cleaning, metadata extraction and chunking of statements.

The lowest layer of dipsearch: it knows nothing about embeddings, storage or search.
"""
