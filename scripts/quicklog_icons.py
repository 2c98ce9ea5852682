"""Draws the quick-log's PNG icons (192 and 512 px) after monitor/web/quicklog_static/icon.svg, with Pillow (which
fpdf2 already brings): a note on a green square with a yellow tick. Run it again only when the icon changes."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "monitor" / "web" / "quicklog_static"
GREEN, WHITE, YELLOW, INK = "#2f7d5b", "#ffffff", "#f2b632", "#1d2b26"


def draw(size: int) -> Image.Image:
    scale = 4  # drawn large and scaled down, for smooth edges
    big = size * scale
    unit = big / 512
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * unit, y0 * unit, x1 * unit, y1 * unit]

    pen.rounded_rectangle(box(0, 0, 512, 512), radius=96 * unit, fill=GREEN)
    pen.rounded_rectangle(box(136, 112, 376, 412), radius=28 * unit, fill=WHITE)
    for y, end in ((206, 328), (262, 328), (318, 272)):
        pen.line(box(184, y, end, y), fill=GREEN, width=round(28 * unit))
    pen.ellipse(box(296, 304, 448, 456), fill=YELLOW)
    pen.line(
        [(340 * unit, 382 * unit), (364 * unit, 406 * unit), (408 * unit, 356 * unit)], fill=INK, width=round(24 * unit)
    )
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        draw(size).save(STATIC / f"icon-{size}.png", optimize=True)
        print(STATIC / f"icon-{size}.png")
