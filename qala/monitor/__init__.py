"""Monitoring: what is judged across documents (series, claim checks, commitments, instruction
control) and the human review overlay they all read through.

Everything here reads the store and writes only the derived tables (see the "derived" section of
qala/store/schema.py), which ``recompute_all`` can drop and rebuild at any time.


Entry points: qala.monitor.recompute.recompute_all, series.series_for, checks.list_checks,
commitments.list_commitments, control.set_status / list_overdue / discipline_summary,
review.review.
"""
