"""Reading files: size limits, binary and undecodable files, PDFs; each skip has a reason."""

from pathlib import Path

from fluent_ai.context import Directory, File, Files

from .files import make_tree, pdf_bytes


def test_per_file_limit_skips_with_the_sizes(tmp_path: Path) -> None:
    make_tree(tmp_path, {"small.txt": "x" * 10, "big.txt": "x" * 101})
    bundle = Files.glob("*.txt", root=tmp_path, max_file_bytes=100).load()
    assert bundle.paths == ["small.txt"]
    [skipped] = bundle.skipped
    assert (skipped.path, skipped.kind) == ("big.txt", "too_large")
    assert skipped.reason == "101 bytes, over the limit of 100 bytes per file"


def test_total_limit_skips_files_that_would_pass_it(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.txt": "a" * 60, "b.txt": "b" * 60, "c.txt": "c" * 30})
    bundle = Files.glob("*.txt", root=tmp_path, max_total_bytes=100).load()
    assert bundle.paths == ["a.txt", "c.txt"]
    [skipped] = bundle.skipped
    assert (skipped.path, skipped.kind) == ("b.txt", "total_limit")
    assert "total limit of 100 bytes (60 read so far)" in skipped.reason


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path, {"image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    [skipped] = Directory(tmp_path).load().skipped
    assert skipped.kind == "binary"
    assert skipped.reason == "binary file (a NUL byte at offset 8)"


def test_text_that_is_not_utf8_is_skipped_naming_the_byte(tmp_path: Path) -> None:
    make_tree(tmp_path, {"latin1.txt": "café".encode("latin-1")})
    [skipped] = Directory(tmp_path).load().skipped
    assert skipped.kind == "undecodable"
    assert skipped.reason == "not UTF-8 text (byte 0xe9 at offset 3)"


def test_utf8_byte_order_mark_is_dropped_and_text_kept_as_is(tmp_path: Path) -> None:
    make_tree(tmp_path, {"bom.md": b"\xef\xbb\xbf# T\xc3\xadtulo\r\n", "empty.md": ""})
    bundle = Directory(tmp_path).load()
    assert [d.text for d in bundle.documents] == ["# Título\r\n", ""]


def test_pdf_text_is_extracted_page_by_page(tmp_path: Path) -> None:
    make_tree(tmp_path, {"paper.pdf": pdf_bytes("First page text", "Second page (with parens)")})
    [document] = File(tmp_path / "paper.pdf").load().documents
    assert document.text == "First page text\n\nSecond page (with parens)"


def test_pdf_is_recognised_by_its_signature_whatever_its_name(tmp_path: Path) -> None:
    make_tree(tmp_path, {"download": pdf_bytes("Misnamed")})
    assert [d.text for d in File(tmp_path / "download").load().documents] == ["Misnamed"]


def test_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    make_tree(tmp_path, {"locked-copy.pdf": pdf_bytes("Readable anyway", password="")})
    assert [d.text for d in File(tmp_path / "locked-copy.pdf").load().documents] == [
        "Readable anyway"
    ]


def test_encrypted_pdf_is_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path, {"secret.pdf": pdf_bytes("Hidden", password="hunter2")})
    [skipped] = File(tmp_path / "secret.pdf").load().skipped
    assert skipped.kind == "pdf_encrypted"
    assert skipped.reason == "encrypted PDF: it needs a password to be read"


def test_broken_pdf_is_skipped_with_pypdf_s_reason(tmp_path: Path) -> None:
    make_tree(tmp_path, {"broken.pdf": b"%PDF-1.7\nthis is not a PDF body\n"})
    [skipped] = File(tmp_path / "broken.pdf").load().skipped
    assert skipped.kind == "pdf_broken"
    assert skipped.reason.startswith("malformed PDF that pypdf cannot read (")


def test_truncated_pdf_is_skipped(tmp_path: Path) -> None:
    whole = pdf_bytes("Cut off")
    make_tree(tmp_path, {"cut.pdf": whole[: len(whole) // 2]})
    [skipped] = File(tmp_path / "cut.pdf").load().skipped
    assert skipped.kind == "pdf_broken"


def test_pdf_without_text_layer_is_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path, {"scan.pdf": pdf_bytes("", "")})
    [skipped] = File(tmp_path / "scan.pdf").load().skipped
    assert skipped.kind == "pdf_no_text"
    assert skipped.reason.startswith("PDF with 2 pages but no text layer")
