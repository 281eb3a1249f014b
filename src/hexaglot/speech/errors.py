"""What speech code raises: bad input (a stream, a language) or a model that cannot be used."""

from __future__ import annotations

from hexaglot.errors import BadInput, Unavailable


class SpeechInputError(BadInput):
    """The audio, stream number, language or backend asked for cannot be transcribed."""

    code = "speech_input"


class SpeechModelError(Unavailable):
    """A speech model is missing, incomplete or fails its checksum; nothing was loaded.
    Retrying does not help until the model is installed again, so a job fails at once."""

    code = "speech_model"
    exit_code = 2
    permanent = True
