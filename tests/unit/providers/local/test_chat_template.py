"""The GGUF's chat template renders exactly as transformers' ``apply_chat_template``.

The expected strings were recorded once with transformers (``tests/data/
smollm2_tokenizer_reference.json``, ``chats``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

gguf = pytest.importorskip("gguf")

from fluent_ai.providers.local.catalog import SMOLLM2  # noqa: E402
from fluent_ai.providers.local.chat_template import (  # noqa: E402
    ChatTemplate,
    chat_template_from_gguf,
)
from fluent_ai.providers.local.gguf_file import GGUFFile  # noqa: E402
from fluent_ai.types import LocalModelError  # noqa: E402

REFERENCE = json.loads(
    (Path(__file__).parents[3] / "data" / "smollm2_tokenizer_reference.json").read_text("utf-8")
)
HI = [{"role": "user", "content": "Hi"}]


@pytest.fixture(scope="module")
def smollm2() -> ChatTemplate:
    try:
        path = SMOLLM2.gguf_path()
    except LocalModelError as error:
        pytest.skip(str(error))
    return chat_template_from_gguf(GGUFFile(path).fields)


def write_gguf(path: Path, template: str | None) -> Any:
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(["<s>", "</s>", "a"])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)
    if template is not None:
        writer.add_chat_template(template)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return GGUFFile(path).fields


@pytest.mark.parametrize("chat", REFERENCE["chats"], ids=lambda chat: str(len(chat["messages"])))
def test_smollm2_renders_as_transformers(smollm2: ChatTemplate, chat: dict[str, Any]) -> None:
    assert smollm2.render(chat["messages"]) == chat["rendered"]


def test_smollm2_brings_its_default_system_prompt(smollm2: ChatTemplate) -> None:
    assert smollm2.render(HI).startswith(
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
    )
    assert smollm2.render(HI).endswith("<|im_start|>assistant\n")
    assert not smollm2.render(HI, add_generation_prompt=False).endswith("assistant\n")
    assert (smollm2.bos_token, smollm2.eos_token) == ("<|im_start|>", "<|im_end|>")


def test_bos_and_eos_come_from_the_file(tmp_path: Path) -> None:
    template = chat_template_from_gguf(
        write_gguf(tmp_path / "t.gguf", "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}")
    )
    assert template.render(HI) == "<s>Hi</s>"


def test_whitespace_follows_hugging_face(tmp_path: Path) -> None:
    """trim_blocks and lstrip_blocks on; the template's own final newline dropped."""
    source = (
        "{% for m in messages %}\n    {% if m.role == 'user' %}\n"
        "[{{ m.content }}]\n    {% endif %}\n{% endfor %}\n"
    )
    assert ChatTemplate(source).render(HI + HI) == "[Hi]\n[Hi]\n"
    assert ChatTemplate("{{ messages[0].content }}\n").render(HI) == "Hi"


def test_what_a_message_lacks_is_empty_not_an_error() -> None:
    source = (
        "{% for m in messages %}{{ m.content }}{% for call in m.tool_calls %}x{% endfor %}"
        "{% if m.name is defined %}!{% endif %}{% endfor %}{% if tools %}T{% endif %}{{ nothing }}"
    )
    assert ChatTemplate(source).render([{"role": "user", "content": "Hi", "name": None}]) == "Hi"


def test_hugging_face_extras_work() -> None:
    source = (
        "{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}{% break %}"
        "{% endfor %}{{ {'q': '<a & b>', 'é': 1} | tojson }}{{ strftime_now('%Y') | length }}"
    )
    assert ChatTemplate(source).render(HI + HI) == 'Hi{"q": "<a & b>", "é": 1}4'


def test_a_file_without_a_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match=r"no chat template.*base model") as caught:
        chat_template_from_gguf(write_gguf(tmp_path / "base.gguf", None))
    assert caught.value.provider == "local"


def test_a_template_that_does_not_parse_names_the_line() -> None:
    with pytest.raises(LocalModelError, match=r"does not parse \(line 2"):
        ChatTemplate("ok\n{% if %}")


def test_raise_exception_in_the_template_says_why() -> None:
    source = (
        "{% if messages[0].role != 'user' %}{{ raise_exception('roles must alternate') }}"
        "{% endif %}"
    )
    with pytest.raises(LocalModelError, match="refused the conversation: roles must alternate"):
        ChatTemplate(source).render([{"role": "assistant", "content": "x"}])


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{{ messages[3].content }}", "UndefinedError"),
        ("{{ messages[0].content + 1 }}", "TypeError"),
        ("{{ messages.__class__.__mro__ }}", "SecurityError"),
    ],
)
def test_a_failing_template_is_a_local_model_error(source: str, problem: str) -> None:
    with pytest.raises(LocalModelError, match=f"failed on this conversation \\({problem}"):
        ChatTemplate(source).render(HI)


def test_the_sandbox_refuses_to_change_the_messages() -> None:
    messages = [{"role": "user", "content": "Hi"}]
    with pytest.raises(LocalModelError, match="SecurityError"):
        ChatTemplate("{{ messages.append(1) }}").render(messages)
    assert messages == [{"role": "user", "content": "Hi"}]
