"""evaluation: scoring adapters and what follows from the scores. May import core and training.

evaluate (perplexity, MCQ accuracy and sample generations, base vs adapter,
scored with training's loss and loaded with training's modeling and prompt),
report (HTML/Markdown), publish (the quality gate and the adapter registry).
"""
