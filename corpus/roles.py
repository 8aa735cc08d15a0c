"""What a span of a document is, by who speaks in it: the role vocabulary shared by transcripts and news reports."""
from __future__ import annotations

STATEMENT = "statement"  # someone speaking in their own capacity: opening remarks, a speech, reported speech
ANSWER = "answer"  # a spokesperson's (or official's) reply to a question
QUESTION = "question"  # a journalist's (or audience member's) question
QUOTE = "quote"  # words in quotation marks
NARRATION = "narration"  # the outlet's own words: what cannot be attributed to a speaker
PROCEDURAL = "procedural"  # moderator, operator, greetings, thanks, logistics, time stamps

ROLES = (STATEMENT, ANSWER, QUESTION, QUOTE, NARRATION, PROCEDURAL)
