"""Open a speech backend by name: the registry of backends, one line each.

    backend = open_backend("faster-whisper", model)   # a speech.models.SpeechModel
    backend = open_backend("pocketsphinx")
"""

from __future__ import annotations

from collections.abc import Callable

from hexaglot.speech.contract import SpeechBackend
from hexaglot.speech.errors import SpeechInputError, SpeechModelError
from hexaglot.speech.models import HOW_TO, SpeechModel


def _whisper(model: SpeechModel | None) -> SpeechBackend:
    from hexaglot.speech.whisper import FasterWhisperBackend

    if model is None:
        raise SpeechModelError("faster-whisper needs a model (speech.models.resolve_model)")
    return FasterWhisperBackend(model)


def _sphinx(model: SpeechModel | None) -> SpeechBackend:
    from hexaglot.speech.sphinx import PocketsphinxBackend

    return PocketsphinxBackend()


#: Backend name -> how to open it (with the Whisper model when it needs one).
BACKENDS: dict[str, Callable[[SpeechModel | None], SpeechBackend]] = {
    "faster-whisper": _whisper,
    "pocketsphinx": _sphinx,
}


def open_backend(name: str, model: SpeechModel | None = None) -> SpeechBackend:
    """The backend called `name`; `SpeechInputError` for an unknown name."""
    try:
        opener = BACKENDS[name]
    except KeyError:
        raise SpeechInputError(f"no speech backend {name!r} (there are "
                               f"{', '.join(BACKENDS)})") from None
    return opener(model)


def backend_for(language: str, model: SpeechModel | None) -> str:
    """The backend to use for a language: faster-whisper when a Whisper model is there,
    pocketsphinx for English without one; `SpeechModelError` (how to install one) else."""
    if model is not None:
        return "faster-whisper"
    if language == "en":
        return "pocketsphinx"
    raise SpeechModelError(f"no speech model for {language!r} on this machine: {HOW_TO}")
