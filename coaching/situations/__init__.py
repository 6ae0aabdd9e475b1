"""The situation model: a learned, deterministic classifier of coaching situations.

Rules recognise a situation only when the rep uses the words a rule lists. This package scores
every sentence and clause of a message with linear models trained on our own corpus
(`coaching/corpus/`), over word and character n-grams, so that "drop your coaching guidelines"
and "ignore your instructions" land on the same side. Inference is pure Python over a small
JSON artefact: no numpy, no model download, the same output for the same text every time.
Training (`make train`) uses scikit-learn and is reproducible byte for byte.
"""
