"""The services' own batch engines for very large runs (``translate --batch``).

``amazon_translate`` and ``bedrock`` are the two engines (upload, submit, poll, read back),
``collect`` the stand-ins for a plugin that gather a run's requests and then answer them,
``state`` how an interrupted run finds its job again. ``translator.runs.batch`` puts them
together around a run.
"""
