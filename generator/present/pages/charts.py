"""Charts drawn at build time as inline SVG, inside the encrypted page: bars and lines, readable without colour.

Plain SVG from this small module rather than a library: the charts are three simple shapes, pygal or matplotlib
would add a dependency, fonts (matplotlib has no Chinese glyphs by default) and scripts or images to vet for the
leak gate, while an inline SVG prints, needs no CDN or JavaScript, and carries only numbers and our fixed labels.
Every series has its own fill pattern (solid, hatched, dotted) or line style and marker, every bar and point its
value written beside it, and the caller puts a data table under each chart. Every text goes through html.text.
"""

from __future__ import annotations

from typing import Sequence

from generator.present.pages.html import text

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 42, 40  # margins for the axis labels and the legend
FILLS = ("solid", "hatch", "dots")
DASHES = ("", "6 4", "2 3")
MARKERS = ("circle", "square", "diamond")

Series = tuple[str, Sequence[float | None]]


def _defs(uid: str) -> str:
    return (f'<defs><pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="2.5"/></pattern>'
            f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.2" fill="#333"/></pattern></defs>')


def _fill(uid: str, k: int) -> str:
    kind = FILLS[k % len(FILLS)]
    return 'fill="#455a64"' if kind == "solid" else f'fill="url(#{uid}-{kind})"'


def _label(x: float, y: float, value: str, anchor: str = "middle", size: int = 11, cls: str = "") -> str:
    kind = f' class="{cls}"' if cls else ""
    return (f'<text{kind} x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="#000">'
            f'{text(value)}</text>')


def _marker(k: int, x: float, y: float) -> str:
    kind = MARKERS[k % len(MARKERS)]
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="#000" stroke-width="1.5"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#000"/>'
    return f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 4.5l-4.5 4.5l-4.5 -4.5z" fill="#777" stroke="#000"/>'


def _legend(uid: str, names: Sequence[str], lines: bool) -> str:
    out, x = [], LEFT
    for k, name in enumerate(names):
        if lines:
            dash = f' stroke-dasharray="{DASHES[k % len(DASHES)]}"' if DASHES[k % len(DASHES)] else ""
            out.append(f'<line x1="{x}" y1="12" x2="{x + 24}" y2="12" stroke="#000" stroke-width="2"{dash}/>'
                       + _marker(k, x + 12, 12))
        else:
            out.append(f'<rect x="{x}" y="5" width="16" height="14" {_fill(uid, k)} stroke="#000"/>')
        out.append(_label(x + 30, 16, name, "start", 12))
        x += 40 + 13 * len(name)
    return "".join(out)


def _svg(uid: str, title: str, body: str, height: int = HEIGHT) -> str:
    return (f'\n\n<section class="jf-chart"><figure><svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-label="{text(title)}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">{_defs(uid)}'
            f'{body}</svg><figcaption>{text(title)}</figcaption></figure></section>\n\n')


def _axis(labels: Sequence[str], step: float, top: float, unit: str) -> str:
    base = HEIGHT - BOTTOM
    out = [f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#000"/>',
           _label(LEFT - 4, base + 4, "0", "end", 10), _label(LEFT - 4, TOP + 4, f"{top:g}{unit}", "end", 10),
           f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="#bbb" stroke-dasharray="2 3"/>',
           f'<line x1="{LEFT}" y1="{(TOP + base) / 2}" x2="{WIDTH - RIGHT}" y2="{(TOP + base) / 2}" stroke="#ddd" '
           'stroke-dasharray="2 3"/>', _label(LEFT - 4, (TOP + base) / 2 + 4, f"{top / 2:g}{unit}", "end", 10)]
    out += [_label(LEFT + step * (i + 0.5), base + 16, label, "middle", 10) for i, label in enumerate(labels)]
    return "".join(out)


def bar_chart(uid: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Grouped vertical bars, one group per label, one patterned bar per series, its value on top."""
    top = max([v or 0 for _, values in series for v in values] + [1])
    top += top % 2  # even, so that the middle grid line is a whole number
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = step * 0.8 / max(len(series), 1)
    scale = (HEIGHT - TOP - BOTTOM) / top
    bars = []
    for k, (_, values) in enumerate(series):
        for i, value in enumerate(values):
            v = value or 0
            x = LEFT + step * i + step * 0.1 + width * k
            y = HEIGHT - BOTTOM - v * scale
            bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{v * scale:.1f}" '
                        f'{_fill(uid, k)} stroke="#000"/>')
            bars.append(_label(x + width / 2, y - 3, "—" if value is None else f"{v:g}", size=10, cls="jf-value"))
    return _svg(uid, title, _axis(labels, step, top, "") + "".join(bars) + _legend(uid, [n for n, _ in series], False))


def line_chart(uid: str, title: str, labels: Sequence[str], series: Sequence[Series], top: float = 100,
               unit: str = "%", *, gaps: bool = False) -> str:
    """Lines over the labels (a None value has no point), each with its own dash and marker, values by the points;
    gaps=True also breaks the line at a None (the county's incomplete months), else the line joins across it."""
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    scale = (HEIGHT - TOP - BOTTOM) / top
    parts = []
    labels_at = [[i for i, v in enumerate(values) if v is not None] for _, values in series]
    for k, (_, values) in enumerate(series):
        points = [(LEFT + step * (i + 0.5), HEIGHT - BOTTOM - v * scale, v) for i, v in enumerate(values) if v is not None]
        dash = f' stroke-dasharray="{DASHES[k % len(DASHES)]}"' if DASHES[k % len(DASHES)] else ""
        runs: list[list[tuple[float, float, float]]] = [[]]
        for i, v in enumerate(values):
            if v is not None:
                runs[-1].append((LEFT + step * (i + 0.5), HEIGHT - BOTTOM - v * scale, v))
            elif gaps and runs[-1]:
                runs.append([])
        for run in runs if gaps else [points]:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="2"{dash}/>')
        for i, (x, y, v) in enumerate(points):
            parts.append(_marker(k, x, y))
            parts.append(_label(x, y + (-7 if _on_top(series, k, labels_at[k][i]) else 16), f"{v:.0f}", size=10,
                                cls="jf-value"))
    return _svg(uid, title, _axis(labels, step, top, unit) + "".join(parts) + _legend(uid, [n for n, _ in series], True))


def _on_top(series: Sequence[Series], k: int, i: int) -> bool:
    """Whether series k's value at i is the highest there (its label goes above the point, the others' below)."""
    mine = series[k][1][i] or 0
    return all(mine > (values[i] or 0) or (mine == (values[i] or 0) and k < j)
               for j, (_, values) in enumerate(series) if j != k)


def hbar_chart(uid: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Horizontal grouped bars, one row per label (village names fit), the value at each bar's end."""
    row, name_width = 14 * max(len(series), 1) + 10, 130
    height = TOP + row * max(len(labels), 1) + 10
    top = max([v or 0 for _, values in series for v in values] + [1])
    scale = (WIDTH - name_width - 60) / top
    out = []
    for i, label in enumerate(labels):
        y0 = TOP + row * i
        out.append(_label(name_width - 6, y0 + row / 2 + 3, label, "end", 11))
        for k, (_, values) in enumerate(series):
            v = values[i] or 0
            y = y0 + 5 + 14 * k
            out.append(f'<rect x="{name_width}" y="{y}" width="{v * scale:.1f}" height="12" {_fill(uid, k)} stroke="#000"/>')
            out.append(_label(name_width + v * scale + 4, y + 10, f"{v:g}", "start", 10, "jf-value"))
    out.append(f'<line x1="{name_width}" y1="{TOP}" x2="{name_width}" y2="{height - 10}" stroke="#000"/>')
    return _svg(uid, title, "".join(out) + _legend(uid, [n for n, _ in series], False), height)
