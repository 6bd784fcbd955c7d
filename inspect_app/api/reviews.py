"""Reviews: the supervisor's queue of submitted audits, one audit under review, and the decision on it."""

from flask import jsonify
from flask.views import MethodView

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_api_request
from inspect_app.api.contract import refusals
from inspect_app.extensions import db
from inspect_app.messages import ui_message, ui_messages
from inspect_app.schemas.review import (
    ReviewConflictSchema,
    ReviewCountsSchema,
    ReviewDecisionInSchema,
    ReviewDecisionSchema,
    ReviewQueryArgsSchema,
    ReviewQueueItemSchema,
    ReviewRecordSchema,
)
from inspect_app.services import reviews

blp = Blueprint("reviews", __name__, url_prefix="reviews", tag="Reviews", refuses=(403,),
                description="The supervisor's review of submitted audits: the queue, accept or return")
blp.before_request(authenticate_api_request)


@blp.route("/")
class ReviewQueue(MethodView):
    @blp.arguments(ReviewQueryArgsSchema, location="query")
    @blp.response(200, ReviewQueueItemSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """The audits waiting for your review, oldest submission first: submitted, in force (not replaced by a
        correction) and without a decision. Supervisors: their region's, never their own; admins: every
        region's (or one, with `region`); other roles 403."""
        return reviews.queue_query(api_user(), args)


@blp.route("/counts")
class ReviewCounts(MethodView):
    @blp.arguments(ReviewQueryArgsSchema, location="query")
    @blp.response(200, ReviewCountsSchema)
    def get(self, args):
        """How many audits wait for your review: matching the filters, in total, and split by each filter."""
        return reviews.queue_counts(db.session, api_user(), args)


@blp.route("/<int:audit_id>")
class ReviewById(MethodView):
    @blp.response(200, ReviewRecordSchema)
    def get(self, audit_id):
        """One audit as its reviewer sees it: the record, the decisions of all its versions, the route stop it
        belonged to, the facility's previous audit and open items. 403 for the audit's author."""
        return reviews.review_record(db.session, api_user(), audit_id)


@blp.route("/<int:audit_id>/decision")
class ReviewDecide(MethodView):
    @blp.arguments(ReviewDecisionInSchema)
    @blp.response(201, ReviewDecisionSchema)
    @blp.alt_response(409, schema=ReviewConflictSchema, description=(
        "The audit already has a decision (`decision`: who decided what, when), or it is a draft or a version "
        "replaced by a correction."))
    @refusals(403)
    def post(self, data, audit_id):
        """Accept the audit, or return it to its author with a comment (required) naming the item codes to
        correct. One decision per audit version: of two at the same moment one is stored, the other gets 409
        naming it. The audit's hashed record is not changed."""
        return reviews.decide(db.session, api_user(), audit_id, data), 201


@blp.errorhandler(reviews.DecisionTaken)
def decision_taken(error: reviews.DecisionTaken):
    """A 409 that names the decision which stands."""
    decision = ReviewDecisionSchema().dump(error.decision)
    db.session.rollback()
    body = {"code": 409, "status": "Conflict", "message": ui_message(error.message),
            "errors": {"json": ui_messages(error.errors)}, "decision": decision}
    return jsonify(body), 409
