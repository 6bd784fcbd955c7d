"""The supervisor's review of submitted audits: the queue, one audit under review, the decision, and what goes
back to the inspector.

Modules: queue (which audits wait, filters, counts), decide (accept or return: one decision per version),
record (what the review page reads: decisions of a chain, the route stop, the previous audit, open items),
returned (an inspector's returned audits and the correction they file).
"""

from inspect_app.services.reviews.decide import DecisionTaken, decide
from inspect_app.services.reviews.queue import queue_counts, queue_query
from inspect_app.services.reviews.record import (
    ReviewRecord,
    chain_decisions,
    decision_of,
    open_items,
    previous_audit,
    review_record,
)
from inspect_app.services.reviews.returned import correct_returned, returned_audits

__all__ = [
    "DecisionTaken", "ReviewRecord", "chain_decisions", "correct_returned", "decide", "decision_of", "open_items",
    "previous_audit", "queue_counts", "queue_query", "returned_audits", "review_record",
]
