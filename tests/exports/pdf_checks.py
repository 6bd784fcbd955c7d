"""What every PDF we write must be: each font it names embedded (pdffonts), its language declared (/Lang)."""

import io
import subprocess
import tempfile

import pypdf


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(name, embedded) of every font the PDF names, from poppler's pdffonts."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        listing = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]  # after the header and its dashes
    # name type encoding emb sub uni object ID: the "emb" column is the fourth from the end.
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows if row.strip()]


def language(pdf: bytes) -> str | None:
    """The document's /Lang (its catalog's natural language), or None."""
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return str(root["/Lang"]) if "/Lang" in root else None


def assert_fonts_embedded_and_language(pdf: bytes, lang: str) -> None:
    """Every font named is embedded (no Helvetica a viewer must substitute), and /Lang is `lang`."""
    named = fonts(pdf)
    assert named, "no fonts listed"
    assert all(embedded for _, embedded in named), named
    assert not any("Helvetica" in name for name, _ in named), named
    assert language(pdf) == lang
