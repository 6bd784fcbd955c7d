"""Review forms: they render fields and carry the CSRF token; `ReviewDecisionInSchema` validates."""

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField


class DecisionForm(FlaskForm):
    """Accept, or return with a comment; the items a return names are the checked `item_codes` boxes."""

    outcome = HiddenField()
    comment = TextAreaField(_l("Комментарий: что исправить"), render_kw={"rows": 4, "maxlength": 2000})

    def schema_input(self) -> dict[str, Any]:
        """The form as input for `ReviewDecisionInSchema`."""
        return {"outcome": self.outcome.data or "", "comment": self.comment.data or "",
                "item_codes": request.form.getlist("item_codes")}
