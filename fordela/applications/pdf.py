"""HTML → PDF with WeasyPrint."""

_font_config = None


def html_to_pdf(html: str) -> bytes:
    global _font_config  # one font cache per process
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html).write_pdf(font_config=_font_config)
