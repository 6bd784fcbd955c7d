"""The calendar page: a year's holidays, the government's transfers and the school breaks (admins edit)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.labels import holiday_name
from inspect_app.runtime import current_runtime
from inspect_app.schemas.calendar import BreaksInputSchema, TransfersInputSchema
from inspect_app.services.access import may_edit_calendar, require_registry_reader
from inspect_app.services.calendar import store
from inspect_app.services.errors import InvalidInput
from inspect_app.web.calendar.forms import BreaksForm, TransfersForm, format_breaks, format_transfers
from inspect_app.web.forms_io import group_errors, save_submitted

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _year() -> int:
    try:
        return store.check_year(int(request.args.get("year") or today_almaty().year))
    except ValueError as exc:
        raise InvalidInput("Expected a year from 1990 to 2098.", "year") from exc


def _page(year: int, transfers_form=None, breaks_form=None, errors=None, status=200):
    view = store.year_view(db.session, year, current_runtime().workdays)
    for h in view["holidays"]:
        h["label"] = holiday_name(h["name"])
    transfers_form = transfers_form or TransfersForm(data={"transfers": format_transfers(view["transfers"])})
    breaks_form = breaks_form or BreaksForm(data={"breaks": format_breaks(view["breaks"])})
    return render_template("calendar/index.html", view=view, year=year, transfers_form=transfers_form,
                           breaks_form=breaks_form, errors=errors or {}, may_edit=may_edit_calendar(current_user),
                           history=store.calendar_history(db.session, year)), status


@bp.route("/")
@login_required
def index():
    """A year of the calendar: holidays, transfers, the school year starting in it, the history of edits."""
    require_registry_reader(current_user)
    return _page(_year())


@bp.route("/<int:year>/transfers", methods=["POST"])
@login_required
def transfers(year: int):
    """Replace a year's transfers (admins); errors appear beside the field, the typed lines stay."""
    return _save(year, TransfersForm(), TransfersInputSchema(), "transfers", store.save_transfers,
                 _("Переносы сохранены."))


@bp.route("/<int:year>/breaks", methods=["POST"])
@login_required
def breaks(year: int):
    """Replace the breaks of the school year starting in `year` (admins)."""
    return _save(year, BreaksForm(), BreaksInputSchema(), "breaks", store.save_breaks, _("Каникулы сохранены."))


def _save(year: int, form, schema, part: str, save, saved_message: str):
    """Save one part of a year (`part`: transfers or breaks) through its schema and service; on a refusal the page
    again with the errors beside the field and the typed lines kept."""
    store.check_year(year)
    saved, errors, status = save_submitted(
        form, schema, lambda data: save(db.session, current_user, year, data[part]), group_errors)
    if saved is not None:
        flash(saved_message, "success")
        return redirect(url_for("calendar.index", year=year))
    return _page(year, errors=errors, status=status if errors else 400, **{f"{part}_form": form})
