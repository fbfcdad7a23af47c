"""Charts as inline SVG, drawn by pygal; every chart stands beside a data table (its text alternative).

Why pygal: it writes plain SVG with its styles inside and, with ``js=[]``, no script at all, so a
report stays one self-contained file; it is pure Python (no numpy, no font rendering) and small.
matplotlib would add tens of megabytes and emit glyph paths or ids that repeat across charts.

The SVG is built by pygal through lxml, which escapes every text it writes; the charts only get
numbers and labels we make (scan numbers, dates, family and severity names, target names from
targets.toml), never content of scanned pages. That is why the result may be passed to the
template as ``Markup``. lxml refuses control characters, so labels pass through
``scanner.text_safety.xml_text`` first (a target name may carry one). We then tidy the tree: no
``<title>Pygal</title>``, no ids that would repeat when several charts share a page, and
``role="img"`` named by the chart's caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from lxml import etree
from markupsafe import Markup
from pygal.style import Style

from scanner.text_safety import xml_text

FAMILY_COLOURS = {"accessibility": "#0b4f9c", "privacy": "#6b2f8a", "security": "#8a4b00"}
SEVERITY_COLOURS = {
    "critical": "#7a0000",
    "serious": "#b3261e",
    "moderate": "#8a4b00",
    "minor": "#2f5f8a",
    "info": "#5c5c5c",
}
CHANGE_COLOURS = {"new": "#b3261e", "fixed": "#1e6b35", "not-rechecked": "#5c5c5c"}
VERSION_MARK = "◆"  # appended to the x label of a scan whose tool versions changed


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | float | None]
    colour: str


def bar_chart(
    caption_id: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
    marked: Sequence[str] = (),
    horizontal: bool = False,
    y_title: str = "",
) -> Markup:
    """Bars per x label (scans, days or targets).

    ``marked`` labels become pygal's "major" labels; the report's stylesheet draws their guide as a
    dashed line (a tool version changed there).
    """
    chart_class = {
        (True, False): pygal.StackedBar,
        (False, False): pygal.Bar,
        (True, True): pygal.HorizontalStackedBar,
        (False, True): pygal.HorizontalBar,
    }[(stacked, horizontal)]
    chart = chart_class(_config(series, xml_text(y_title), rows=len(x_labels) if horizontal else 0))
    order = list(reversed(range(len(x_labels)))) if horizontal else list(range(len(x_labels)))
    # pygal draws the first label of a horizontal chart at the bottom; ours reads top down
    chart.x_labels = [xml_text(x_labels[index]) for index in order]
    major = {xml_text(label) for label in marked}
    chart.x_labels_major = [label for label in chart.x_labels if label in major]
    for item in series:
        chart.add(xml_text(item.label), [item.values[index] for index in order])
    return _tidy(chart, caption_id)


def _config(series: Sequence[Series], y_title: str, rows: int) -> pygal.Config:
    config = pygal.Config()
    config.js = []  # no script: the report is a static, self-contained file
    config.disable_xml_declaration = True
    config.width = 760
    config.height = max(320, 40 + 28 * rows) if rows else 320
    config.explicit_size = False  # scales with the page (viewBox)
    config.legend_at_bottom = True
    config.legend_at_bottom_columns = max(len(series), 1)  # one row: pygal clips a second one
    config.truncate_legend = -1
    config.truncate_label = -1
    config.x_label_rotation = 0 if rows else 20
    config.show_minor_x_labels = True
    config.y_title = y_title
    config.print_values = False
    config.min_scale = 1
    config.max_scale = 8
    config.value_formatter = lambda value: f"{value:g}"
    config.style = Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b1b1b",
        foreground_strong="#1b1b1b",
        foreground_subtle="#767676",
        opacity="1",
        opacity_hover="1",
        transition="0ms",
        colors=tuple(item.colour for item in series),
        font_family='system-ui, "Noto Sans", "Liberation Sans", Arial, sans-serif',
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=12,
        value_font_size=13,
        title_font_size=16,
        tooltip_font_size=13,
    )
    return config


def _tidy(chart: pygal.graph.graph.Graph, caption_id: str) -> Markup:
    root = chart.render_tree()
    for comment in root.xpath("//comment()"):
        comment.getparent().remove(comment)
    for script in [element for element in root.iter() if _local_name(element) == "script"]:
        script.getparent().remove(script)  # pygal's config for its (omitted) tooltip script
    for element in list(root.iter()):
        element_id = element.get("id")
        if element_id and element_id.startswith("activate-serie"):
            del element.attrib["id"]  # used only by pygal's script, which we leave out; repeats per chart
        if _local_name(element) == "title" and element.getparent() is root:
            root.remove(element)
    root.set("role", "img")
    root.set("aria-labelledby", caption_id)
    root.set("focusable", "false")
    root.set("class", f"{root.get('class', '')} chart".strip())
    return Markup(etree.tostring(root, encoding="unicode", method="xml"))


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
