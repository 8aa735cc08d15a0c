"""Evaluation sets: queries with graded relevance judgments of passages, and scoring the engine on them.

Modules, one concept each: `sets` (storage), `keys` (stable passage ids), `pool` (candidates from every
mode), `judging` (next / record / skip / undo), `session` (the key-driven judging loop), `qrels_io`
(read and write TREC, JSONL, CSV), `importing`, `exporting` (TREC, JSONL, BEIR), `corpus.turns` (question and
answer turns of a transcript), `from_qa` (a set from press-conference transcripts), `runs` (the engine's
rankings as TREC runs), `scoring` (ranx metrics and significance tests).
"""
