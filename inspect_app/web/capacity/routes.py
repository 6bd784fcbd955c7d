"""The capacity page: a year's inspector-days needed against available, a chart, the table, what-ifs."""


import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Region
from inspect_app.runtime import current_runtime
from inspect_app.schemas.capacity import CapacityArgsSchema, WhatIfSchema
from inspect_app.services.access import may_build_schedules, region_filter, require_builder, require_registry_reader
from inspect_app.services.capacity import whatif
from inspect_app.services.capacity.plan import capacity_plan, plan_rows
from inspect_app.services.capacity.tables import FORMATS, plan_download
from inspect_app.web.capacity.forms import SCENARIO_LABELS, WhatIfForm
from inspect_app.web.forms_io import save_submitted
from inspect_app.web.query_args import list_filters

bp = Blueprint("capacity", __name__, url_prefix="/capacity")


def _args() -> dict:
    args = list_filters(CapacityArgsSchema(), request.args, ("year", "region"))
    args.setdefault("year", today_almaty().year)
    return args


def _chart(rows: list[dict], locale: str) -> dict:
    areas = [r for r in rows if not r["total"]]
    return {"labels": [r["name_kk"] if locale == "kk" and r["name_kk"] else r["name_ru"] for r in areas],
            "datasets": [{"label": _("Нужно инспекторо-дней"), "data": [r["needed_days"] for r in areas],
                          "backgroundColor": "#c0392b"},
                         {"label": _("Есть инспекторо-дней"), "data": [r["available_days"] for r in areas],
                          "backgroundColor": "#2e86c1"}]}


def _page(args: dict, form: WhatIfForm | None = None, errors: dict | None = None, status: int = 200):
    plan = capacity_plan(db.session, current_user, args["year"], args.get("region"), runtime=current_runtime())
    rows = plan_rows(plan)
    locale = str(get_locale() or "ru")
    region = (db.session.scalar(sa.select(Region).where(Region.kato == plan.scope_kato))
              if plan.scope_kato else None)
    regions = list(db.session.scalars(sa.select(Region).where(region_filter(current_user)).order_by(Region.kato)))
    return render_template("capacity/index.html", plan=plan, rows=rows, chart=_chart(rows, locale), args=args,
                           regions=regions, region=region, form=form or WhatIfForm(), errors=errors or {},
                           may_ask=region is not None and may_build_schedules(current_user),
                           whatifs=whatif.recent_whatifs(db.session, current_user, region),
                           scenario_labels=SCENARIO_LABELS), status


@bp.route("/")
@login_required
def index():
    """The plan of the user's region (or a chosen one, or the country) for a year."""
    require_registry_reader(current_user)
    return _page(_args())


@bp.route("/export.<fmt>")
@login_required
def export(fmt: str):
    """The plan's table as CSV or XLSX."""
    require_registry_reader(current_user)
    if fmt not in FORMATS:
        return redirect(url_for("capacity.index"))
    args = _args()
    plan = capacity_plan(db.session, current_user, args["year"], args.get("region"), runtime=current_runtime())
    content, mimetype, filename = plan_download(plan, fmt, for_people=fmt == "xlsx")
    response = Response(content, content_type=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@bp.route("/what-if", methods=["POST"])
@login_required
def what_if():
    """Start a what-if; errors appear beside their fields, the typed values stay."""
    require_registry_reader(current_user)
    args = _args()
    # Who may ask is decided before the form is read, so a refused role learns nothing from a 422.
    region = db.session.scalar(sa.select(Region).where(Region.kato == args["region"])) if args.get("region") else None
    require_builder(current_user, region or current_user.region)
    form = WhatIfForm()
    job, errors, status = save_submitted(
        form, WhatIfSchema(), lambda data: whatif.submit_whatif(db.session, current_user, data, current_runtime()),
        region=args.get("region") or (current_user.region.kato if current_user.region else ""), year=args["year"])
    if job is not None:
        return redirect(url_for("jobs.show", job_id=job.id))
    return _page(args, form, errors, status if errors else 400)
