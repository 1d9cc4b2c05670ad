"""The report page: one self-contained HTML file (charts, font and viewer inlined: it opens
offline and requests nothing), and writing a report folder atomically."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from ...plotting import style
from ..output import atomic_dir
from . import tables, viewer

REPORT = "report"
CSS = """body{font-family:'Report CJK','Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em;margin-bottom:.2em}.sub{color:#555;margin-top:0}
.answer{font-size:1.25em;background:#fff4e5;border-left:6px solid #e66101;padding:.8em 1em}
.warn{background:#fde0dd;border-left:6px solid #c51b8a;padding:.6em 1em;font-weight:bold}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}img{max-width:100%}
.note{color:#666;font-size:.9em}.src{color:#555;font-size:.85em;text-align:left}"""


def h(tag: str, text: str, cls: str = "") -> str:
    return f"<{tag}{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{html.escape(text)}</{tag}>"


def table(t: tables.Table, lang: str) -> str:
    return h("h2", t.caption) + tables.to_html(t, lang)


def figure(chart: dict) -> str:
    data = base64.b64encode(Path(chart["png"]).read_bytes()).decode()
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(chart["title"])}">'
        f"<figcaption>{html.escape(chart['title'])}</figcaption></figure>"
    )


def _font_face(text: str) -> str:
    """The report's font, cut down to the characters it uses and embedded, so the page shows
    Chinese on a machine without a Chinese font (tens of kB instead of the font's 16 MB)."""
    from fontTools import subset

    options = subset.Options()
    font = subset.load_font(style.font_path(), options)
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f"@font-face{{font-family:'Report CJK';src:url(data:font/otf;base64,{data}) format('opentype')}}"


def document(title: str, blocks: list[str], lang: str) -> str:
    body = "\n".join(blocks)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body)) + title  # with the viewer's words and dates
    text += "".join(chr(c) for c in range(0x20, 0x7F))
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_font_face(text)}{CSS}{viewer.CSS}</style></head>"
        f"<body>\n{body}\n</body></html>"
    )


def write(folder: Path, lang: str, title: str, build, sheets_of) -> dict:
    """Write report_<lang>.html and .xlsx and charts/<lang>/ into ``folder``/report, keeping the
    other language's files. ``build(charts_dir)`` gives (blocks, answer); ``sheets_of()`` the
    workbook's tables."""
    target = folder / REPORT
    with atomic_dir(target, "report") as tmp:
        blocks, answer = build(tmp / "charts" / lang)
        (tmp / f"report_{lang}.html").write_text(document(title, blocks, lang), encoding="utf-8")
        tables.write_workbook(tmp / f"report_{lang}.xlsx", sheets_of(), lang)
        for other in (x for x in style.LANGS if x != lang):
            for old in [
                target / f"report_{other}.html",
                target / f"report_{other}.xlsx",
                *sorted((target / "charts" / other).glob("*")),
            ]:
                if old.is_file() and not old.is_symlink():
                    new = tmp / old.relative_to(target)
                    new.parent.mkdir(parents=True, exist_ok=True)
                    new.write_bytes(old.read_bytes())
    return {"html": target / f"report_{lang}.html", "xlsx": target / f"report_{lang}.xlsx", "answer": answer}
