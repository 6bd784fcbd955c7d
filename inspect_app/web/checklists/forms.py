"""Checklist version forms: the upload (a YAML file or pasted text) and the activation date."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField


class UploadForm(FlaskForm):
    """A YAML template as a file, or pasted."""

    file = FileField(_l("Файл YAML"))
    text = TextAreaField(_l("или текст YAML"), render_kw={"rows": 12, "spellcheck": "false", "class": "mono"})

    def yaml_input(self) -> tuple[str, str]:
        """(the YAML text, the file name) of what was sent; a file wins over the pasted text."""
        upload = self.file.data
        if upload is not None and getattr(upload, "filename", ""):
            raw = upload.read(2_000_001)
            try:
                return raw.decode("utf-8-sig"), upload.filename
            except UnicodeDecodeError:
                return "\ufffd", upload.filename  # the parser names it as not valid YAML
        return self.text.data or "", ""


class ActivateForm(FlaskForm):
    """The date from which a version is in force."""

    active_from = StringField(_l("Действует с"), render_kw={"type": "date"})
