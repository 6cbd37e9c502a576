"""What a tagged PDF must have (PDF/UA-1 as far as it can be checked without veraPDF), read with pikepdf; its text
with poppler's pdftotext."""

import io
import subprocess

import pikepdf


def open_pdf(content: bytes) -> pikepdf.Pdf:
    assert content.startswith(b"%PDF-")
    return pikepdf.open(io.BytesIO(content))


def text_of(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def fonts_of(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every font the pages use (the descendant of a Type0 font, where the program is)."""
    fonts = []
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            fonts.extend(font.DescendantFonts if "/DescendantFonts" in font else [font])
    return fonts


def assert_tagged(content: bytes, language: str, title: str) -> pikepdf.Pdf:
    """`title`: the whole title, or (ending in "…") its end."""
    pdf = open_pdf(content)
    root = pdf.Root
    assert str(root.Lang) == language
    assert root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0
    if title.startswith("…"):
        assert str(pdf.docinfo.Title).endswith(title[1:])
    else:
        assert str(pdf.docinfo.Title) == title
    assert root.ViewerPreferences.DisplayDocTitle is True
    fonts = fonts_of(pdf)
    assert fonts
    for font in fonts:
        descriptor = font.FontDescriptor
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
    return pdf


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every element of the tag tree (the dictionaries with a type /S)."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                stack.append(node.K)
        elif isinstance(node, pikepdf.Array):
            stack.extend(node)
    return found


def structure_types(pdf: pikepdf.Pdf) -> set[str]:
    return {str(element.S) for element in structure_elements(pdf)}
