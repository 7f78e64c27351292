"""The canvas of a slider figure: Agg with its text cached, and a fast PNG encoder.

A slider figure is drawn again at every move with mostly the same text; these two pieces
make a move cheaper without changing a pixel (tests compare them with Matplotlib's own).
"""

from __future__ import annotations

import math
import struct
import zlib

import matplotlib
import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import fontManager, get_font


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """Encode the canvas's pixels as a PNG, for speed: no row filter, zlib level 1.

    Pillow tries every PNG row filter on every row; for a figure (flat colours, text,
    antialiased lines) the unfiltered rows deflate as small or smaller (01: 43 against 50 kB,
    02: 78 against 82 kB), for about 30 % less CPU time. An opaque figure is encoded as RGB
    (its alpha is all 255).
    """
    pixels = np.asarray(canvas.buffer_rgba())
    height, width = pixels.shape[:2]
    opaque = canvas.figure.get_facecolor()[3] == 1
    channels = 3 if opaque else 4
    rows = np.empty((height, width * channels + 1), np.uint8)
    rows[:, 0] = 0  # filter type "None"
    rows[:, 1:].reshape(height, width, channels)[...] = pixels[..., :channels]
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows, 1)),
            _png_chunk(b"IEND", b""),
        )
    )


# ---- text drawn from cached glyphs ---------------------------------------------------------
# Matplotlib >= 3.11 draws text glyph by glyph in Python: it shapes the string and renders
# every glyph with FreeType again at each draw, ~0.1-0.3 ms a glyph; a two-line title costs
# 10-25 ms, a figure's tick labels, legend and labels most of a full draw. A slider figure
# draws the same strings (and glyphs) again and again, so its renderer keeps both: the
# shaped strings, and each glyph's coverage bitmap keyed by everything FreeType is given
# (font, size, dpi, glyph, transform, load flags and the sub-pixel part of the position).
# A glyph moved by whole pixels rasterises to the same bitmap moved by those pixels, so the
# pictures are pixel-identical to Matplotlib's own.
_GLYPHS: dict[tuple, tuple] = {}
_LAYOUTS: dict[tuple, tuple] = {}
_HEIGHT_METRICS: dict[tuple, tuple] = {}
_GLYPH_CACHE_SIZE = 20_000  # ~ 4 MB of small bitmaps at most; emptied when full
_LAYOUT_CACHE_SIZE = 2_000
# It reaches into Matplotlib's private text internals, so it is used only with the minor
# version it was written against and checked on (tests compare it with Matplotlib's own
# pictures); any other version draws text Matplotlib's way.
_FAST_TEXT = (
    tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) == (3, 11)
    and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
    and hasattr(backend_agg, "get_hinting_flag")
)


class _SliderRendererAgg(RendererAgg):
    """Matplotlib's Agg renderer, with the text glyphs and layouts of every draw cached."""

    if _FAST_TEXT:

        def _get_font_height_metrics(self, prop):
            # Text._get_layout asks the renderer first, else reads the font's tables itself
            # at every layout of every text: the same numbers (Matplotlib 3.11's), kept.
            key = (hash(prop), prop.get_size_in_points(), self.dpi)
            metrics = _HEIGHT_METRICS.get(key)
            if metrics is None:
                font = get_font(fontManager._find_fonts_by_props(prop))
                metrics = (None, None, None)
                for table_name, gap_key, ascent_key, descent_key in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent"),
                ):
                    table = font.get_sfnt_table(table_name)
                    if table is None:
                        continue
                    units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                    scale = 1 / units_per_em * prop.get_size_in_points() * self.dpi / 72
                    metrics = (
                        table[ascent_key] * scale,
                        -table[descent_key] * scale,
                        table[gap_key] * scale,
                    )
                    break
                _HEIGHT_METRICS[key] = metrics
            return metrics

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath:
                return self.draw_mathtext(gc, x, y, s, prop, angle)
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            flags = backend_agg.get_hinting_flag()
            size = prop.get_size_in_points()
            key = (s, hash(prop), size, self.dpi, flags, features, language)
            items = _LAYOUTS.get(key)
            if items is None:
                font = self._prepare_font(prop)
                items = tuple(
                    (item.ft_object, item.glyph_index, item.x, item.y)
                    for item in font._layout(s, flags=flags, features=features, language=language)
                )
                if len(_LAYOUTS) >= _LAYOUT_CACHE_SIZE:
                    _LAYOUTS.clear()
                _LAYOUTS[key] = items
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle, ((f, size, g, 0, 1, dx, dy) for f, g, dx, dy in items), []
            )

        def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
            # As RendererAgg's (Matplotlib 3.11), each glyph's bitmap rendered once.
            cos = math.cos(math.radians(angle))
            sin = math.sin(math.radians(angle))
            load_flags = backend_agg.get_hinting_flag()
            antialiased = gc.get_antialiased()
            mode = backend_agg.RenderMode.NORMAL if antialiased else backend_agg.RenderMode.MONO
            height = self.height
            dpi = self.dpi
            draw = self._renderer.draw_text_image
            for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards.
                # FreeType's 26.6 fixed-point position; its y is upwards.
                tx = round(0x40 * (x + dx * cos - dy * sin))
                ty = round(0x40 * (height - y + dx * sin + dy * cos))
                key = (font, size, dpi, glyph_index, angle, slant, extend, load_flags,
                       antialiased, tx & 63, ty & 63)  # fmt: skip
                cached = _GLYPHS.get(key)
                if cached is None:
                    font.set_size(size, dpi)
                    font._set_transform(
                        (
                            0x10000
                            * np.array([[cos, -sin], [sin, cos]])
                            @ [[extend, extend * slant], [0, 1]]
                        )
                        .round()
                        .astype(int),
                        [tx & 63, ty & 63],
                    )
                    bitmap = font._render_glyph(glyph_index, load_flags, mode)
                    buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its bitmap
                    if not antialiased:
                        buffer *= 0xFF
                    cached = (buffer, bitmap.left, bitmap.top - buffer.shape[0])
                    if len(_GLYPHS) >= _GLYPH_CACHE_SIZE:
                        _GLYPHS.clear()
                    _GLYPHS[key] = cached
                buffer, left, bottom = cached
                # draw_text_image's y is downwards & the bitmap's bottom side.
                draw(buffer, left + (tx >> 6), int(height) - bottom - (ty >> 6), 0, gc)
            if boxes:
                super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


class SliderCanvasAgg(FigureCanvasAgg):
    """The Agg canvas of a slider figure: its renderer caches text (pixel-identical)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _SliderRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
