"""Fusion's benchmarks: ``python -m bench`` (or ``make bench``).

Each benchmark runs the real processes (gunicorn, Celery workers, a beat-like ticker)
against a database (``fusion_bench``) and a Redis db of its own, measures its own baseline in
the same run and reports the figure, the baseline and their ratio. See docs/benchmarks.md.
"""
