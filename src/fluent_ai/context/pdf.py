"""Text from PDF files, with pypdf.

pypdf is an optional dependency (``fluent-ai[context]``), imported on the first PDF, so
text and Markdown sources work without it. A PDF that cannot give text raises
:class:`Unusable` with the reason the caller records: encrypted with a password,
malformed, pages with no text layer (scans), or pypdf missing.
"""

from __future__ import annotations

import io

from fluent_ai.context.document import Unusable

PDF_MAGIC = b"%PDF-"
PAGE_SEPARATOR = "\n\n"


def looks_like_pdf(name: str, data: bytes) -> bool:
    """A ``.pdf`` name or the PDF signature: a misnamed PDF is still read as one."""
    return name.lower().endswith(".pdf") or data.startswith(PDF_MAGIC)


def pdf_text(data: bytes) -> str:
    """The text of every page, pages separated by a blank line.

    An encrypted PDF with an empty user password (common for "no copying" files) is
    opened as pypdf opens it by default; one that needs a real password is refused.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError
    except ImportError as error:
        raise Unusable(
            "missing_dependency", "reading PDFs needs pypdf: pip install 'fluent-ai[context]'"
        ) from error
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() for page in reader.pages]
    except FileNotDecryptedError as error:
        raise Unusable("pdf_encrypted", "encrypted PDF: it needs a password to be read") from error
    except DependencyError as error:
        raise Unusable(
            "missing_dependency", f"encrypted PDF that pypdf cannot decrypt here: {error}"
        ) from error
    except Exception as error:
        # pypdf reports malformed files with its own errors and, from deeper in the
        # parser, with ValueError, KeyError, TypeError and others. Each means the same
        # here: this one file cannot be read, which the caller records as the reason.
        detail = str(error) or type(error).__name__
        raise Unusable("pdf_broken", f"malformed PDF that pypdf cannot read ({detail})") from error
    text = PAGE_SEPARATOR.join(page.strip() for page in pages).strip()
    if not text:
        count = len(pages)
        raise Unusable(
            "pdf_no_text",
            f"PDF with {count} page{'' if count == 1 else 's'} but no text layer "
            "(scanned pages need OCR first)",
        )
    return text
