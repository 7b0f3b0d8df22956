"""The report's charts as PNG images: matplotlib on its Agg canvas (no display, no pyplot state shared between
threads), Chinese labels in the CJK font found by family name — never a hard-coded path. Without such a font the
chart is not drawn and the report says "图表字体缺失" instead of printing boxes."""

import io
import logging
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

# Debian's fonts-noto-cjk (installed here and in CI), then other common Simplified Chinese fonts.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
                "Microsoft YaHei")
FONT_MISSING = "（图表字体缺失，未绘制图表：请在服务器上安装中文字体，如 Debian 软件包 fonts-noto-cjk。）"
BAR_COLOUR = "#b71c1c"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 6.2, 3.4, 200


@dataclass(frozen=True)
class Bars:
    """A bar chart: one bar per category, its value in `unit`; `horizontal` for long category names."""

    categories: tuple
    values: tuple
    unit: str
    horizontal: bool = False


@lru_cache(maxsize=1)
def cjk_font_path():
    """The file of the first CJK font matplotlib finds by family, or None."""
    from matplotlib import font_manager  # imported on the first chart: the web processes seldom draw one

    for family in CJK_FAMILIES:
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    logger.warning("No CJK font found for the report's charts (tried %s).", ", ".join(CJK_FAMILIES))
    return None


def _number(value):
    return float(value)  # a chart's coordinate only; the report's text and tables keep the Decimal


def _label(value):
    text = f"{value}"
    return text[:-2] if text.endswith(".0") else text


def draw(bars, *, font_path=None):
    """`bars` as PNG bytes, or None when no CJK font is available (say `FONT_MISSING` then)."""
    font_path = font_path or cjk_font_path()
    if font_path is None:
        return None
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = font_manager.FontProperties(fname=font_path, size=9)
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    numbers = [_number(value) for value in bars.values]
    positions = range(len(numbers))
    if bars.horizontal:
        drawn = axes.barh(positions, numbers, color=BAR_COLOUR, height=0.6)
        axes.set_yticks(list(positions), labels=list(bars.categories), fontproperties=font)
        axes.invert_yaxis()
        axes.set_xlabel(bars.unit, fontproperties=font)
    else:
        drawn = axes.bar(positions, numbers, color=BAR_COLOUR, width=0.6)
        axes.set_xticks(list(positions), labels=list(bars.categories), fontproperties=font)
        axes.set_ylabel(bars.unit, fontproperties=font)
    axes.bar_label(drawn, labels=[_label(value) for value in bars.values], fontproperties=font, padding=2)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if bars.horizontal:
        axes.margins(x=0.15, y=0.05)
    else:
        axes.margins(x=0.05, y=0.15)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(font)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
