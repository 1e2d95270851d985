"""Generated token ids in, text safe to show out: whole characters, never a stop string.

Two things make naive per-token decoding wrong:

* a character can span tokens (byte-level BPE splits UTF-8, so "é" or an emoji may
  arrive in pieces); decoding a prefix then yields U+FFFD, so text ending in it is held
  until the character completes;
* a stop string can span tokens too ("<|user|>" is several), so text that could still
  become a stop string is held back until it either does (and is cut, never shown) or
  cannot any more.

Decoding re-reads the tokens since the last line break each time, as transformers'
``TextStreamer`` does, so that tokenizers whose pieces depend on their neighbours
(SentencePiece drops a leading space at the start of a decode) still join correctly,
and the work per token stays bounded by the length of a line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

INCOMPLETE = "\ufffd"


class TextStream:
    """Feed token ids with :meth:`push`; show what it returns; :meth:`flush` at the end.

    ``decode`` turns a list of token ids into text (special tokens skipped).
    ``stopped`` becomes true when the text reaches one of ``stop``: the text before it
    has been returned and nothing after it ever will be.
    """

    def __init__(self, decode: Callable[[list[int]], str], stop: Sequence[str] = ()) -> None:
        self._decode = decode
        self._stop = tuple(s for s in stop if s)
        self._longest = max((len(s) for s in self._stop), default=0)
        self._tokens: list[int] = []
        self._shown = 0
        self.stopped = False

    def push(self, token: int) -> str:
        """Add one generated token; return the new text that is now certain."""
        if self.stopped:
            return ""
        self._tokens.append(token)
        text = self._decode(self._tokens)
        if text.endswith(INCOMPLETE):
            return ""
        return self._release(text, final=False)

    def flush(self) -> str:
        """The end of generation: return whatever was still held back.

        A character left unfinished (generation cut off by ``max_tokens`` in the middle
        of its bytes) is dropped: it is not text, and U+FFFD would only show the cut.
        """
        if self.stopped or not self._tokens:
            return ""
        return self._release(self._decode(self._tokens).rstrip(INCOMPLETE), final=True)

    def _release(self, text: str, *, final: bool) -> str:
        start = self._shown
        cut = self._find_stop(text, start)
        if cut is not None:
            self.stopped = True
            return text[start:cut]
        end = len(text) if final else len(text) - self._held(text, start)
        self._shown = end
        if end == len(text) and text.endswith("\n"):
            self._tokens.clear()
            self._shown = 0
        return text[start:end]

    def _find_stop(self, text: str, start: int) -> int | None:
        """Where the first stop string begins, looking only at text not yet shown.

        Shown text cannot hold the start of a stop string: any tail that could have
        begun one was held back by :meth:`_held`.
        """
        found = [i for i in (text.find(s, start) for s in self._stop) if i >= 0]
        return min(found) if found else None

    def _held(self, text: str, start: int) -> int:
        """Length of the longest unshown tail of ``text`` that begins some stop string."""
        for size in range(min(self._longest - 1, len(text) - start), 0, -1):
            tail = text[-size:]
            if any(s.startswith(tail) for s in self._stop):
                return size
        return 0
