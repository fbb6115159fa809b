"""The use cases, one layer above the pipeline: a ``translate`` run, a ``check`` run.

Each builds what a run needs once (the backend stacks in ``backends.py``, the glossary and quality
stages, the back-translator and fixer in ``roundtrip.py``), drives the pipeline over its sources,
and returns plain results that the CLI prints and the reports write.
"""
