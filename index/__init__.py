"""Embedding, FAISS vectors and SQLite storage of documents and passages."""
