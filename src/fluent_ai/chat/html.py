"""A conversation as a standalone HTML page, for people to read or share.

Every piece of text goes through :func:`html.escape`, attribute values included, so
model output cannot add markup. Text keeps its line breaks (``white-space:
pre-wrap``) and is not rendered as Markdown, which would need a sanitiser to be safe.
Images are shown inline from their URL or as ``data:`` URLs; documents are download
links; unsafe URL schemes are shown as text (see :mod:`fluent_ai.chat.display`). The
page also carries a content security policy that allows no scripts at all.
"""

from __future__ import annotations

from html import escape

from fluent_ai.chat.conversation import Conversation
from fluent_ai.chat.display import (
    arguments_text,
    heading,
    metadata_items,
    safe_url,
    title,
)
from fluent_ai.types.messages import (
    DocumentPart,
    ImagePart,
    Message,
    Part,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)

POLICY = "default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'"

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f6f6; color: #222; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
section { background: #fff; border-radius: 8px; padding: 0.5rem 1rem; margin: 1rem 0; }
section.user { background: #eef4ff; }
section.system { background: #fff8e6; }
h2 { font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.05em; color: #666; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: #f0f0f0; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
.thinking { color: #555; }
.error pre { background: #fdecec; }
img { max-width: 100%; }
dt { font-weight: bold; }
"""


def to_html(conversation: Conversation) -> str:
    """The whole conversation as one HTML document."""
    name = escape(title(conversation))
    body = [f"<h1>{name}</h1>"]
    items = metadata_items(conversation)
    if items:
        entries = "".join(
            f"<dt>{escape(key)}</dt><dd><code>{escape(value)}</code></dd>" for key, value in items
        )
        body.append(f'<dl class="metadata">{entries}</dl>')
    if conversation.system is not None:
        body.append(_section("system", "System prompt", [_text(conversation.system)]))
    body.extend(message_html(message) for message in conversation.messages)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{name}</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )


def message_html(message: Message) -> str:
    """One message as a ``<section>`` classed by its role."""
    return _section(message.role, heading(message), [part_html(p) for p in message.parts])


def part_html(part: Part) -> str:
    """One part as an HTML fragment."""
    match part:
        case TextPart(text=text):
            return _text(text)
        case ThinkingPart(text=text, redacted=redacted):
            note = " (redacted by the provider)" if redacted else ""
            return (
                f'<details class="thinking"><summary>Thinking{note}</summary>'
                f"{_text(text)}</details>"
            )
        case ToolCallPart(id=call_id, name=name, arguments=arguments):
            return (
                f'<div class="tool-call"><p>Tool call <code>{escape(name)}</code> · '
                f"<code>{escape(call_id)}</code></p>"
                f"<pre><code>{escape(arguments_text(arguments))}</code></pre></div>"
            )
        case ToolResultPart(tool_call_id=call_id, name=name, content=content):
            sender = f" from <code>{escape(name)}</code>" if name else ""
            error = " (error)" if part.is_error else ""
            return (
                f'<div class="tool-result{" error" if error else ""}"><p>Tool result{sender} · '
                f"<code>{escape(call_id)}</code>{error}</p><pre>{escape(content)}</pre></div>"
            )
        case ImagePart():
            source = safe_url(part.data_url, image=True)
            if source is None:
                return f"<p>Image: <code>{escape(part.data_url)}</code></p>"
            return f'<figure><img src="{escape(source)}" alt="image"></figure>'
        case DocumentPart(name=name, media_type=media_type):
            label = escape(name or "document") + (f" ({escape(media_type)})" if media_type else "")
            target = safe_url(part.data_url, image=False)
            if target is None:
                return f"<p>Document {label}: <code>{escape(part.data_url)}</code></p>"
            download = f' download="{escape(name)}"' if name and part.data is not None else ""
            return f'<p class="document"><a href="{escape(target)}"{download}>{label}</a></p>'


def _section(role: str, label: str, parts: list[str]) -> str:
    return (
        f'<section class="{role}">\n<h2>{escape(label)}</h2>\n' + "\n".join(parts) + "\n</section>"
    )


def _text(text: str) -> str:
    return f'<div class="text">{escape(text)}</div>'
