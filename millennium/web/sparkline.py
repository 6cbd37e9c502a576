"""A small line chart as inline SVG, drawn on the server: no script, nothing fetched from elsewhere."""

from django.utils.html import format_html

WIDTH, HEIGHT, PAD = 120, 32, 3


def sparkline(points: list[tuple[int, float]], label: str) -> str:
    """SVG for (year, value) points; `label` describes it for screen readers (the table holds the numbers)."""
    if not points:
        return ""
    years = [p[0] for p in points]
    values = [p[1] for p in points]
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)

    def xy(year: int, value: float) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * ((year - x0) / (x1 - x0) if x1 > x0 else 0.5)
        y = PAD + (HEIGHT - 2 * PAD) * (1 - ((value - y0) / (y1 - y0) if y1 > y0 else 0.5))
        return round(x, 1), round(y, 1)

    coords = [xy(year, value) for year, value in points]
    path = " ".join(f"{x},{y}" for x, y in coords)
    last_x, last_y = coords[-1]
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="currentColor"/></svg>',
        label, WIDTH, HEIGHT, WIDTH, HEIGHT, path, last_x, last_y,
    )
