"""Kazakhstan's calendar: a year's holidays, the government's transfers and the school breaks (admins edit)."""

from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_registry_request
from inspect_app.api.contract import refusals
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.runtime import current_runtime
from inspect_app.schemas.calendar import (
    BreakSchema,
    BreaksInputSchema,
    CalendarYearArgsSchema,
    CalendarYearSchema,
    TransferSchema,
    TransfersInputSchema,
)
from inspect_app.schemas.history import ChangeRecordSchema
from inspect_app.services.calendar import store

blp = Blueprint("calendar", __name__, url_prefix="calendar", tag="Calendar", refuses=(403,),
                description="Working days: public holidays, transfers of days off, school breaks")
blp.before_request(authenticate_registry_request)


@blp.route("/")
class CalendarYear(MethodView):
    @blp.arguments(CalendarYearArgsSchema, location="query")
    @blp.response(200, CalendarYearSchema)
    def get(self, args):
        """A calendar year (default: this one): holidays, transfers, the school year starting in it."""
        return store.year_view(db.session, args.get("year") or today_almaty().year, current_runtime().workdays)


@blp.route("/<int:year>/transfers")
class CalendarTransfers(MethodView):
    @blp.arguments(TransfersInputSchema)
    @blp.response(200, TransferSchema(many=True))
    @refusals(409)
    def put(self, data, year):
        """Replace a year's transfers of days off (admins; the change goes to the history)."""
        return store.save_transfers(db.session, api_user(), store.check_year(year), data["transfers"])


@blp.route("/<int:year>/breaks")
class CalendarBreaks(MethodView):
    @blp.arguments(BreaksInputSchema)
    @blp.response(200, BreakSchema(many=True))
    @refusals(409)
    def put(self, data, year):
        """Replace the breaks of the school year starting in `year` (admins; the change goes to the history)."""
        return store.save_breaks(db.session, api_user(), store.check_year(year), data["breaks"])


@blp.route("/<int:year>/history")
class CalendarHistory(MethodView):
    @blp.response(200, ChangeRecordSchema(many=True))
    def get(self, year):
        """Every change of the year's transfers and of the school year starting in it, newest first."""
        return store.calendar_history(db.session, store.check_year(year))
