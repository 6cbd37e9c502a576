"""A practice's body: Markdown rendered to HTML, then sanitised with an allow-list.

Anyone with an editor account writes these texts and everyone reads them, so the HTML must be harmless whatever
was typed: no scripts, no event handlers, no frames, no javascript: or data: URLs, no images (they would load
from other sites). Two independent layers: markdown-it refuses dangerous link targets when it renders; nh3
(ammonia) then keeps only the tags and attributes listed here from whatever HTML came through.
"""

import nh3
from markdown_it import MarkdownIt

# The body sits under the page's <h2>, so "# Rubrik" becomes <h3>: the page's heading outline stays in order.
HEADING_SHIFT = 2

TAGS = {"p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "abbr", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"}, "th": {"scope"}}
# Removed with everything inside them (the rest lose only the tag and keep their text).
CONTENT_REMOVED = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
URL_SCHEMES = {"http", "https", "mailto"}
# Links lead off the site: the page opened must not reach back through window.opener, and a published practice
# lends no ranking to what it links to.
LINK_REL = "noopener nofollow"

# Raw HTML is let through markdown-it only so that nh3 removes it completely; escaped, a <script> would
# be shown as text on the page.
_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render(source: str) -> str:
    """Markdown → sanitised HTML.

    >>> print(render("## Så gjorde vi\\n\\n- [Rapport](https://example.org/r.pdf)"))
    <h4>Så gjorde vi</h4>
    <ul>
    <li><a href="https://example.org/r.pdf" rel="noopener nofollow">Rapport</a></li>
    </ul>
    <BLANKLINE>
    >>> render('<script>alert(1)</script><img src=x onerror="alert(2)">ok')
    'ok'
    """
    tokens = _markdown.parse(source or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, clean_content_tags=CONTENT_REMOVED,
                     url_schemes=URL_SCHEMES, link_rel=LINK_REL, strip_comments=True)
