"""A QR code as an SVG document (for a page to show a link to hand over); framework-free."""

from reportlab.graphics.barcode import qrencoder


def qr_svg(text: str, module_px: int = 6, border: int = 4) -> str:
    """The SVG of a QR code of `text` (error correction M), one rectangle per run of dark modules."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    size = (count + 2 * border) * module_px
    rects = []
    for r, row in enumerate(qr.modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                rects.append(f'<rect x="{(start + border) * module_px}" y="{(r + border) * module_px}" '
                             f'width="{(c - start) * module_px}" height="{module_px}"/>')
            else:
                c += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><g fill="#000">{"".join(rects)}</g></svg>')
