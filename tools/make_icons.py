"""Draw Tekseru's app icons (the web app manifest's, the home-screen icon) into inspect_app/static/icons/.

    .venv/bin/python tools/make_icons.py

The icon is a checklist with a tick on the top bar's navy: a white clipboard, three lines, and a green check
mark over the first. One geometry (on a 100 x 100 grid) draws the SVG and, with Pillow at 4x then reduced for
smooth edges, the PNGs: 192 and 512 px with rounded corners ("any"), 512 px full-bleed with the drawing inside
the central 80 % circle ("maskable": Android crops it to its own shape), and 180 px for iOS's home screen.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "inspect_app" / "static" / "icons"
NAVY = "#10243e"
WHITE = "#ffffff"
LINE = "#9fb3c8"
GREEN = "#2e9d4f"

# The drawing on a 100 x 100 grid: the clipboard, its clip, three text lines, the tick.
BOARD = (26, 20, 74, 84, 6)  # x0, y0, x1, y1, corner radius
CLIP = (40, 14, 60, 26, 4)
LINES = [(36, 40, 64, 40), (36, 54, 64, 54), (36, 68, 56, 68)]
TICK = [(30, 46), (40, 56), (62, 30)]


def svg() -> str:
    """The icon as SVG (its own file, for browsers that take a vector icon)."""
    x0, y0, x1, y1, r = BOARD
    cx0, cy0, cx1, cy1, cr = CLIP
    lines = "".join(f'<line x1="{a}" y1="{b}" x2="{c}" y2="{d}"/>' for a, b, c, d in LINES)
    tick = " ".join(f"{x},{y}" for x, y in TICK)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" aria-label="Tekseru">\n'
        f'  <rect width="100" height="100" rx="20" fill="{NAVY}"/>\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="{WHITE}"/>\n'
        f'  <rect x="{cx0}" y="{cy0}" width="{cx1 - cx0}" height="{cy1 - cy0}" rx="{cr}" fill="{LINE}"/>\n'
        f'  <g stroke="{LINE}" stroke-width="5" stroke-linecap="round">{lines}</g>\n'
        f'  <polyline points="{tick}" fill="none" stroke="{GREEN}" stroke-width="9" stroke-linecap="round" '
        'stroke-linejoin="round"/>\n'
        "</svg>\n"
    )


def png(size: int, *, maskable: bool = False) -> Image.Image:
    """The icon at `size` px; maskable: no rounded corners, the drawing shrunk into the safe zone."""
    scale = 4
    canvas = size * scale
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, canvas, canvas), fill=NAVY)
        shrink, offset = 0.72, 0.14  # the drawing inside the central circle of 80 % diameter
    else:
        draw.rounded_rectangle((0, 0, canvas - 1, canvas - 1), radius=canvas * 0.2, fill=NAVY)
        shrink, offset = 1.0, 0.0

    def at(x: float, y: float) -> tuple[float, float]:
        return ((offset + x / 100 * shrink) * canvas, (offset + y / 100 * shrink) * canvas)

    def width(units: float) -> int:
        return max(1, round(units / 100 * shrink * canvas))

    x0, y0, x1, y1, r = BOARD
    draw.rounded_rectangle((*at(x0, y0), *at(x1, y1)), radius=width(r), fill=WHITE)
    cx0, cy0, cx1, cy1, cr = CLIP
    draw.rounded_rectangle((*at(cx0, cy0), *at(cx1, cy1)), radius=width(cr), fill=LINE)
    for a, b, c, d in LINES:
        draw.line((*at(a, b), *at(c, d)), fill=LINE, width=width(5))
        for x, y in ((a, b), (c, d)):  # round caps
            px, py = at(x, y)
            half = width(5) / 2
            draw.ellipse((px - half, py - half, px + half, py + half), fill=LINE)
    points = [at(x, y) for x, y in TICK]
    draw.line(points, fill=GREEN, width=width(9), joint="curve")
    for px, py in (points[0], points[-1]):
        half = width(9) / 2
        draw.ellipse((px - half, py - half, px + half, py + half), fill=GREEN)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tekseru.svg").write_text(svg(), encoding="utf-8")
    for size in (192, 512):
        png(size).save(OUT / f"tekseru-{size}.png", optimize=True)
    png(512, maskable=True).save(OUT / "tekseru-maskable-512.png", optimize=True)
    png(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
