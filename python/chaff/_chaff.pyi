"""Type stubs of the compiled core; see ``help(chaff.Model)``."""

import os
from typing import Any, Iterable, Sequence, TypedDict, Union, final

import numpy as np
import numpy.typing as npt
from typing_extensions import NotRequired

__all__ = ["ChaffError", "Model"]

#: An article: a str (paragraphs cut at blank lines, or one per line when there is none)
#: or a sequence of paragraph strs.
_Article = Union[str, Sequence[str]]

class _Piece(TypedDict):
    text: str
    label: str
    confidence: float
    start: int
    end: int

class _Paragraph(TypedDict):
    id: NotRequired[str]
    position: int
    text: str
    label: str
    confidence: float
    probabilities: list[float]
    pieces: NotRequired[list[_Piece]]

class ChaffError(ValueError):
    """Input or a model file that chaff cannot use; the message names the file."""

@final
class Model:
    """A chaff model and its memory of repeated paragraphs; see ``help(chaff.Model)``."""

    def __new__(
        cls, path: Union[str, os.PathLike[str], None] = None, prior_shift: float | None = None
    ) -> Model: ...
    @staticmethod
    def from_bytes(data: bytes, name: str = "<bytes>") -> Model: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: Union[str, os.PathLike[str]]) -> None: ...
    @property
    def prior_shift(self) -> float: ...
    @property
    def labels(self) -> list[str]: ...
    def tag(
        self,
        articles: Iterable[_Article],
        pieces: bool = False,
        ids: Sequence[str] | None = None,
    ) -> list[list[_Paragraph]]: ...
    def clean(
        self,
        articles: Iterable[_Article],
        keep: Sequence[str] | None = None,
        pieces: bool = False,
    ) -> list[str]: ...
    def predict(
        self, paragraphs: Sequence[str]
    ) -> tuple[list[str], npt.NDArray[np.float32]]: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
