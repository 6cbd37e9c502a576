"""A practice's body: Markdown renders; whatever HTML an editor types, only the allow-list survives."""

import doctest

import pytest

from millennium.practices import markdown_body
from millennium.practices.markdown_body import render


def test_the_modules_examples_hold():
    assert doctest.testmod(markdown_body).failed == 0


def test_markdown_renders_headings_lists_links_and_emphasis():
    html = render("# Bakgrund\n\n## Så gjorde vi\n\n- ett\n- två\n\n1. först\n2. sedan\n\n"
                  "Se [rapporten](https://example.org/rapport.pdf) och *kursiv* **fet**.")
    # The body sits under the page's h2: "#" is h3, "##" h4.
    assert "<h3>Bakgrund</h3>" in html and "<h4>Så gjorde vi</h4>" in html
    assert "<ul>\n<li>ett</li>\n<li>två</li>\n</ul>" in html
    assert "<ol>\n<li>först</li>\n<li>sedan</li>\n</ol>" in html
    assert '<a href="https://example.org/rapport.pdf" rel="noopener nofollow">rapporten</a>' in html
    assert "<em>kursiv</em> <strong>fet</strong>" in html


def test_tables_render_with_header_cells():
    html = render("| År | Andel |\n|---|---|\n| 2020 | 40 |")
    assert "<th>År</th>" in html and "<td>2020</td>" in html


def test_script_is_removed_with_its_content():
    html = render("Före <script>window.pwned = 1</script> efter\n\n<script>\nalert(1)\n</script>")
    assert "<script" not in html and "pwned" not in html and "alert" not in html
    assert "Före" in html and "efter" in html


def test_event_handlers_and_images_are_removed():
    html = render('<img src=x onerror="window.pwned=2"> <p onclick="steal()">text</p> <b onmouseover="x()">b</b>')
    assert "<img" not in html and "onerror" not in html and "onclick" not in html and "onmouseover" not in html
    assert "text" in html and "<b>b</b>" in html


@pytest.mark.parametrize("source", [
    "[a](javascript:window.pwned=3)",
    '<a href="javascript:window.pwned=4">a</a>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="java&#115;cript:alert(1)">a</a>',
    '<a href="  javascript:alert(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
])
def test_no_dangerous_link_target_survives(source):
    """The link text may stay; no href with a script or data URL does (markdown-it leaves such a Markdown link
    unlinked, nh3 drops the href of such an HTML link)."""
    html = render(source)
    assert "href" not in html, html


def test_frames_objects_styles_and_forms_are_removed():
    html = render('<iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="y">'
                  '<style>body{display:none}</style><form action="https://evil.example/"><input name="p"></form>'
                  '<svg onload="alert(1)"><circle/></svg>ok')
    for tag in ("<iframe", "<object", "<embed", "<style", "<form", "<input", "<svg", "evil.example"):
        assert tag not in html
    assert "ok" in html


def test_links_get_rel_noopener_nofollow_and_other_attributes_go():
    html = render('<a href="https://example.org/" target="_blank" rel="opener" style="color:red" id="x">x</a>')
    assert html == '<p><a href="https://example.org/" rel="noopener nofollow">x</a></p>\n'


def test_raw_headings_keep_the_page_outline():
    """An <h1> or <h2> typed as HTML would break the page's heading order; only its text stays."""
    assert render("<h1>Stor</h1>") == "Stor"
    assert "<h2" not in render("<h2>Mellan</h2>")
