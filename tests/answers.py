"""Checklist answers the tests and benchmarks share: plain data from `forms`, no app."""

import forms


def answers_for(template: forms.Template, facility_type: str, failing=()) -> dict:
    """A complete set of valid answers: every applicable item passes except the `failing` codes."""
    answers = {}
    for item in forms.items_for(template, facility_type):
        fail = item.code in failing
        if item.kind == "yes_no":
            value = "no" if fail else "yes"
        elif item.kind == "number":
            if fail:
                value = (item.min - 1) if item.min is not None else (item.max + 1)
            else:
                value = item.min if item.min is not None else item.max
        elif item.kind == "choice":
            value = next(o.code for o in item.options if o.fails == fail)
        else:
            value = "Замечаний нет"
        answers[item.code] = {"value": value}
    return answers


def signature_png(seed: int = 1, size=(300, 100)) -> bytes:
    """A small real PNG of pen strokes on a transparent background, as the phone's canvas makes one."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    w, h = size
    points = [(10 + i * (w - 20) // 12, h // 2 + ((i * 37 * seed) % 50) - 25) for i in range(13)]
    draw.line(points, fill=(20, 20, 90, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def act_fields(refused: bool = False, **overrides) -> dict:
    """The act's elements a phone sends with the submit: the order, positions, the representative and both
    signatures (base64 PNGs), or the representative's refusal with a witness."""
    import base64

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    out = {"order_date": "2019-12-20", "order_number": "17", "order_reg_number": "1910200000017",
           "inspector_position": "главный специалист-инспектор", "representative_name": "Серікова Айгүл",
           "representative_position": "директор", "inspector_signature": b64(signature_png(2))}
    if refused:
        out.update(signature_refused=True, refusal_witness="Ахметов Болат, завхоз")
    else:
        out["representative_signature"] = b64(signature_png(1))
    out.update(overrides)
    return out
