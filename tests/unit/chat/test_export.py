"""Markdown and HTML transcripts: readable, complete, and escaped."""

from html.parser import HTMLParser

from hypothesis import given

from fluent_ai.chat import Conversation
from fluent_ai.chat.markdown import fenced
from fluent_ai.types import (
    DocumentPart,
    ImagePart,
    Message,
    TextPart,
    ThinkingPart,
    ToolCallPart,
)

from .strategies import conversations

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def conversation() -> Conversation:
    return Conversation(
        system=f"System says {HOSTILE}",
        metadata={"title": "Trip <planning>", "model": "openai/gpt-4o-mini"},
        messages=[
            Message.user(
                f"Plan it. {HOSTILE}",
                ImagePart(data=b"\x89PNG", media_type="image/png"),
                ImagePart(url="https://example.com/map.png"),
                ImagePart(url="javascript:alert(1)"),
                DocumentPart(data=b"%PDF-1.7", media_type="application/pdf", name="plan.pdf"),
            ),
            Message(
                role="assistant",
                parts=[
                    ThinkingPart(text="Check the weather\nthen book.", signature="sig"),
                    ToolCallPart(id="call_1", name="get_weather", arguments='{"city":"Oslo"}'),
                ],
            ),
            Message.tool_result("call_1", "```\nsunny\n``` <b>", name="get_weather"),
            Message.tool_result("call_2", "timeout", is_error=True),
            Message.assistant("It will be **sunny**."),
        ],
    )


def test_markdown_reads_as_a_transcript() -> None:
    text = conversation().to_markdown()
    assert text.startswith('# Trip <planning>\n\n- **model:** `"openai/gpt-4o-mini"`\n')
    assert "## System prompt\n\nSystem says" in text
    assert "## User\n\nPlan it." in text
    assert "![image](<data:image/png;base64,iVBORw==>)" in text
    assert "![image](<https://example.com/map.png>)" in text
    assert "image: `javascript:alert(1)`" in text  # shown, never linked
    assert "[plan.pdf (application/pdf)](<data:application/pdf;base64,JVBERi0xLjc=>)" in text
    assert "> **Thinking**\n>\n> Check the weather\n> then book." in text
    assert '**Tool call** `get_weather` · `call_1`\n\n```json\n{\n  "city": "Oslo"\n}\n```' in text
    # A result containing a fence gets a longer fence, so it cannot end early.
    assert (
        "**Tool result** from `get_weather` · `call_1`\n\n````\n```\nsunny\n``` <b>\n````" in text
    )
    assert "**Tool result** · `call_2` *(error)*\n\n```\ntimeout\n```" in text
    assert text.endswith("## Assistant\n\nIt will be **sunny**.\n")


def test_fences_outgrow_any_backtick_run() -> None:
    assert fenced("plain") == "```\nplain\n```"
    assert fenced("a ````` b", "json") == "``````json\na ````` b\n``````"


class Collector(HTMLParser):
    """Every tag and attribute in a page, and its text, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def test_html_escapes_everything_and_allows_no_scripts() -> None:
    page = conversation().to_html()
    parsed = parse(page)
    names = {tag for tag, _ in parsed.tags}
    assert "script" not in names
    assert all("onerror" not in attrs for _, attrs in parsed.tags)
    text = "".join(parsed.text)
    assert f"Plan it. {HOSTILE}" in text  # shown as text, exactly
    assert "```\nsunny\n``` <b>" in text
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page


def test_html_shows_images_links_and_tools() -> None:
    parsed = parse(conversation().to_html())
    images = [attrs["src"] for tag, attrs in parsed.tags if tag == "img"]
    assert images == ["data:image/png;base64,iVBORw==", "https://example.com/map.png"]
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert links == [{"href": "data:application/pdf;base64,JVBERi0xLjc=", "download": "plan.pdf"}]
    text = "".join(parsed.text)
    assert "Image: javascript:alert(1)" in text
    assert "Tool call get_weather · call_1" in text
    assert '"city": "Oslo"' in text
    assert "Tool result from get_weather · call_1" in text
    assert "call_2 (error)" in text
    assert "Thinking" in text
    sections = [attrs["class"] for tag, attrs in parsed.tags if tag == "section"]
    assert sections == ["system", "user", "assistant", "tool", "tool", "assistant"]
    assert ("title", {}) in parsed.tags
    assert "Trip <planning>" in text


@given(conversations)
def test_any_conversation_exports_without_markup_leaking(conversation: Conversation) -> None:
    page = conversation.to_html()
    parsed = parse(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "dl",
               "dt", "dd", "code", "section", "div", "details", "summary", "p", "pre",
               "figure", "img", "a"}  # fmt: skip
    assert {tag for tag, _ in parsed.tags} <= allowed
    for _, attrs in parsed.tags:
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is not None and ":" in value:
                assert value.split(":", 1)[0].lower() in ("http", "https", "data")
    for message in conversation.messages:
        for part in message.parts:
            if isinstance(part, TextPart) and part.text.strip():
                assert part.text in "".join(parsed.text)
    assert conversation.to_markdown().startswith("# ")
