"""A small server-rendered line chart (SVG): this year against the previous one.

No JavaScript and no chart library: the template draws the lines from the
coordinates computed here, and the same numbers appear in a table beside it.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 12, 28
MONTH_LETTERS = "JFMAMJJASOND"


@dataclass
class Chart:
    current: list  # polyline point strings, one per unbroken stretch
    previous: list
    y_ticks: list  # (y, label)
    x_ticks: list  # (x, label)
    target_y: float | None = None  # the target line of a level target
    target_label: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def line_chart(course, label, target=None):
    """``course``: CoursePoints; ``label(value)`` formats a y-axis value.

    ``target``: the target value of a level target, drawn as a horizontal
    line (and included in the scale, so it is always visible).
    """
    values = [
        point_value
        for point in course
        for point_value in (point.current.value, point.previous.value)
        if point_value is not None
    ]
    if not values:
        return None
    if target is not None:
        values.append(target)
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(index):
        return LEFT + plot_width * index / 11

    def y(value):
        return TOP + plot_height * float((high - value) / (high - low))

    def lines(attribute):
        stretches, stretch = [], []
        for index, point in enumerate(course):
            value = getattr(point, attribute).value
            if value is None:
                stretches, stretch = _close(stretches, stretch), []
                continue
            stretch.append(f"{x(index):.1f},{y(value):.1f}")
        return _close(stretches, stretch)

    return Chart(
        current=lines("current"),
        previous=lines("previous"),
        y_ticks=[(y(value), label(value)) for value in (high, (high + low) / 2, low)],
        x_ticks=[(x(index), MONTH_LETTERS[index]) for index in range(12)],
        target_y=None if target is None else y(target),
        target_label="" if target is None else label(target),
    )


def _close(stretches, stretch):
    return [*stretches, " ".join(stretch)] if stretch else stretches
