"""The tokenizer a GGUF file describes, rebuilt with ``tokenizers`` and no transformers.

    metadata = GGUFFile(path).fields
    tokenizer = tokenizer_from_gguf(metadata)
    special = special_tokens_from_gguf(metadata)
    ids = encode_prompt(tokenizer, special, rendered_chat)

A GGUF carries no ``tokenizer.json``: only the vocabulary, the merges (or scores) and a
few flags under llama.cpp's key names. llama.cpp is the runtime those files are written
for, so where it and transformers disagree this module follows llama.cpp:

* ``tokenizer.ggml.pre`` names the regexes text is split with before the merges run
  (:mod:`.gguf_pretokenizers`), each a ``Split`` with ``"isolated"``; an unknown name
  is refused.
* Control, unknown and user-defined tokens (types 3, 2 and 4) are added tokens, matched
  whole anywhere in the text, so ``<|im_end|>`` is one id rather than seven pieces.
* A SentencePiece vocabulary (``tokenizer.ggml.model = "llama"``: Llama 2, TinyLlama,
  Mistral) becomes a BPE model whose merges are recovered from the token scores, with
  byte fallback (``<0x0A>``) for characters the vocabulary lacks. The dummy-prefix
  space goes before every stretch of text, including one after a special token, as
  llama.cpp and SentencePiece itself do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import BPE

from fluent_ai.providers.local.gguf_pretokenizers import PRE_TOKENIZERS, PreTokenizer
from fluent_ai.types import LocalModelError

# llama.cpp's token types (gguf.TokenType); 5 is unused, 6 a <0xNN> byte: both ordinary.
_NORMAL, _UNKNOWN, _CONTROL, _USER_DEFINED = 1, 2, 3, 4

TOKENIZER_MODELS = ("gpt2", "llama")

# Tokens that end a turn although the file names only one eos id (llama.cpp's list).
END_OF_TURN_TOKENS = frozenset(
    {"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>"}
    | {"<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>"}
)


@dataclass(frozen=True, slots=True)
class SpecialTokens:
    """The ids generation and prompting need, all plain values so they can be cached.

    ``end_ids`` holds every id that ends a reply: the eos id, the file's eot and eom
    ids, and any vocabulary token on llama.cpp's end-of-turn list. SmolLM2 names
    ``<|im_end|>`` as eos but may also stop with ``<|endoftext|>``; stopping on eos
    alone would let it run on into an invented next turn.
    """

    bos_id: int | None
    eos_id: int | None
    end_ids: tuple[int, ...]
    add_bos: bool
    bos_token: str | None
    eos_token: str | None


def _damaged(problem: str) -> LocalModelError:
    return LocalModelError(
        f"the GGUF file's tokenizer cannot be built: {problem}. The file is damaged or "
        "was converted by a broken tool; download or convert it again",
        provider="local",
    )


def _value(metadata: Mapping[str, Any], key: str) -> Any:
    """A metadata value, numeric arrays as lists (``GGUFFile`` gives numpy views)."""
    value = metadata.get(key)
    tolist = getattr(value, "tolist", None)
    return tolist() if tolist is not None else value


def _model_name(metadata: Mapping[str, Any]) -> str:
    model = _value(metadata, "tokenizer.ggml.model")
    if model not in TOKENIZER_MODELS:
        raise LocalModelError(
            f"the GGUF file's tokenizer model is {model!r}; fluent-ai can build "
            f"{', '.join(map(repr, TOKENIZER_MODELS))} (byte-level BPE and SentencePiece "
            "BPE). Use a GGUF of a model with one of those tokenizers.",
            provider="local",
        )
    return str(model)


def _pre_tokenizer(metadata: Mapping[str, Any]) -> PreTokenizer:
    name = _value(metadata, "tokenizer.ggml.pre") or "default"
    if name not in PRE_TOKENIZERS:
        raise LocalModelError(
            f"the GGUF file's pre-tokenizer {name!r} (tokenizer.ggml.pre) is not one fluent-ai "
            f"knows; supported: {', '.join(sorted(PRE_TOKENIZERS))}. Use a GGUF of a model "
            "whose tokenizer splits text one of those ways.",
            provider="local",
        )
    return PRE_TOKENIZERS[name]


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte alphabet: each byte as a printable character, as merges spell them."""
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    shifted = iter(range(256, 512))
    return {b: chr(b if b in printable else next(shifted)) for b in range(256)}


def _vocab(tokens: Sequence[str], types: Sequence[int], respell: bool) -> dict[str, int]:
    """``token -> id``; with ``respell``, ordinary tokens into the byte alphabet.

    Byte-level files store ordinary tokens already in GPT-2's byte alphabet (a space is
    ``Ġ``); the rare one that is not is spelled into it so that the merges reach it.
    Added tokens keep the text llama.cpp matches them by. Should a file list one
    string twice, the first id keeps it, as the merges cannot tell the two apart.
    """
    spelling = _bytes_to_unicode()
    alphabet = set(spelling.values())
    vocab: dict[str, int] = {}
    for index, token in enumerate(tokens):
        added = types[index] in (_UNKNOWN, _CONTROL, _USER_DEFINED)
        if respell and not added and not set(token) <= alphabet:
            token = "".join(spelling[byte] for byte in token.encode("utf-8"))
        vocab.setdefault(token, index)
    return vocab


def _scored_merges(vocab: dict[str, int], scores: Sequence[float]) -> list[tuple[str, str]]:
    """The merges a SentencePiece BPE vocabulary implies, best first.

    SentencePiece keeps no merge list: it joins the adjacent pair whose join is the
    token with the highest score. Every way of cutting a token into two tokens is a
    merge ranked by that token's score, ties broken by the shorter left piece, which
    is how transformers recovers them too.
    """
    merges: list[tuple[float, int, int, str, str]] = []
    for token, index in vocab.items():
        for cut in range(1, len(token)):
            left, right = token[:cut], token[cut:]
            if left in vocab and right in vocab:
                merges.append((-scores[index], len(left), len(right), left, right))
    merges.sort(key=lambda merge: merge[:3])
    return [(left, right) for *_, left, right in merges]


def _added_tokens(tokens: Sequence[str], types: Sequence[int], kinds: set[int]) -> list[AddedToken]:
    """The tokens of ``kinds``, matched whole in the text before any splitting."""
    special = _USER_DEFINED not in kinds
    return [
        AddedToken(token, special=special, normalized=False)
        for token, kind in zip(tokens, types, strict=True)
        if kind in kinds
    ]


def _bpe(vocab: dict[str, int], merges: list[Any], **options: Any) -> BPE:
    try:
        return BPE(vocab, merges, **options)
    except Exception as error:  # tokenizers raises a bare Exception ("... out of vocabulary")
        raise _damaged(f"its vocabulary and merges do not fit together ({error})") from error


def _byte_level(metadata: Mapping[str, Any], tokens: list[str], types: list[int]) -> Tokenizer:
    pre = _pre_tokenizer(metadata)
    merges = _value(metadata, "tokenizer.ggml.merges")
    if not merges:
        raise _damaged("it has a byte-level BPE vocabulary but no tokenizer.ggml.merges")
    pairs = [tuple(str(merge).split(" ")) for merge in merges]
    if broken := next((pair for pair in pairs if len(pair) != 2 or not all(pair)), None):
        raise _damaged(f"its merge {' '.join(broken)!r} is not two tokens and a space")
    vocab = _vocab(tokens, types, respell=True)
    tokenizer = Tokenizer(_bpe(vocab, pairs, fuse_unk=False, ignore_merges=pre.ignore_merges))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            *(pre_tokenizers.Split(Regex(regex), behavior="isolated") for regex in pre.regexes),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer


def _sentencepiece(metadata: Mapping[str, Any], tokens: list[str], types: list[int]) -> Tokenizer:
    scores = _value(metadata, "tokenizer.ggml.scores")
    if scores is None or len(scores) != len(tokens):
        raise _damaged("its SentencePiece vocabulary lacks one tokenizer.ggml.scores per token")
    vocab = _vocab(tokens, types, respell=False)
    unk_id = _value(metadata, "tokenizer.ggml.unknown_token_id")
    unk = tokens[unk_id] if unk_id is not None and 0 <= unk_id < len(tokens) else None
    merges = _scored_merges(vocab, scores)
    tokenizer = Tokenizer(_bpe(vocab, merges, unk_token=unk, fuse_unk=True, byte_fallback=True))
    prefix = _value(metadata, "tokenizer.ggml.add_space_prefix")
    spaces = normalizers.Replace(" ", "▁")
    steps: list[decoders.Decoder] = [decoders.Replace("▁", " "), decoders.ByteFallback()]
    steps.append(decoders.Fuse())
    if prefix is False:
        tokenizer.normalizer = spaces
    else:  # SentencePiece's add_dummy_prefix, on unless the file turns it off
        tokenizer.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), spaces])
        steps.append(decoders.Strip(" ", 1, 0))
    tokenizer.decoder = decoders.Sequence(steps)
    return tokenizer


def tokenizer_from_gguf(metadata: Mapping[str, Any]) -> Tokenizer:
    """The tokenizer a GGUF file's metadata (``GGUFFile(path).fields``) describes.

    Encode with ``add_special_tokens=False``.

    The tokenizer adds no BOS itself (a chat template usually writes it); use
    :func:`encode_prompt` for a prompt. Raises :class:`LocalModelError` for a tokenizer
    model or pre-tokenizer this module cannot rebuild exactly.
    """
    model = _model_name(metadata)
    tokens = [str(token) for token in _value(metadata, "tokenizer.ggml.tokens") or ()]
    if not tokens:
        raise _damaged("it has no vocabulary (tokenizer.ggml.tokens)")
    types = list(_value(metadata, "tokenizer.ggml.token_type") or [_NORMAL] * len(tokens))
    if len(types) != len(tokens):
        raise _damaged(f"it lists {len(tokens)} tokens but {len(types)} token types")
    # llama.cpp treats these as control tokens whatever the file says; so must we, or
    # "<|im_end|>" written by a chat template would be cut into pieces.
    types = [_CONTROL if t in END_OF_TURN_TOKENS else k for t, k in zip(tokens, types, strict=True)]
    if model == "gpt2":
        tokenizer = _byte_level(metadata, tokens, types)
    else:
        tokenizer = _sentencepiece(metadata, tokens, types)
    # Control and unknown tokens are special (decode(skip_special_tokens=True) drops
    # them); user-defined ones such as <think> are text the model writes.
    tokenizer.add_special_tokens(_added_tokens(tokens, types, {_UNKNOWN, _CONTROL}))
    tokenizer.add_tokens(_added_tokens(tokens, types, {_USER_DEFINED}))
    # An added token missing from the model's vocabulary would get an id past the end
    # of the embedding table; the model would fail on it mid-reply.
    if tokenizer.get_vocab_size(with_added_tokens=True) > len(tokens):
        raise _damaged("its special tokens are not all in its vocabulary")
    return tokenizer


def special_tokens_from_gguf(metadata: Mapping[str, Any]) -> SpecialTokens:
    """BOS, EOS, every end-of-turn id and whether prompts start with BOS."""
    tokens = [str(token) for token in _value(metadata, "tokenizer.ggml.tokens") or ()]

    def token_id(key: str) -> int | None:
        value = _value(metadata, f"tokenizer.ggml.{key}")
        return int(value) if value is not None and 0 <= int(value) < len(tokens) else None

    bos, eos = token_id("bos_token_id"), token_id("eos_token_id")
    ends = {i for i in (eos, token_id("eot_token_id"), token_id("eom_token_id")) if i is not None}
    ends.update(index for index, token in enumerate(tokens) if token in END_OF_TURN_TOKENS)
    add_bos = _value(metadata, "tokenizer.ggml.add_bos_token")
    if add_bos is None:  # llama.cpp's defaults: SentencePiece and Llama 3 add BOS
        model = _value(metadata, "tokenizer.ggml.model")
        add_bos = model == "llama" or (model == "gpt2" and _pre_tokenizer(metadata).add_bos)
    return SpecialTokens(
        bos_id=bos,
        eos_id=eos,
        end_ids=tuple(sorted(ends)),
        add_bos=bool(add_bos) and bos is not None,
        bos_token=tokens[bos] if bos is not None else None,
        eos_token=tokens[eos] if eos is not None else None,
    )


def encode_prompt(tokenizer: Tokenizer, special: SpecialTokens, text: str) -> list[int]:
    """The ids of a rendered prompt, with BOS first when the model wants it, once.

    Special tokens in ``text`` are parsed (a chat template writes them as text). A
    template that already wrote the BOS token (Llama 3's does) gets no second one:
    two BOS tokens in a row degrade the reply.
    """
    ids: list[int] = tokenizer.encode(text, add_special_tokens=False).ids
    if special.add_bos and special.bos_id is not None and ids[:1] != [special.bos_id]:
        ids.insert(0, special.bos_id)
    return ids
