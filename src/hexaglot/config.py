"""Settings from the environment (prefix `HEXAGLOT_`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where an archive keeps its catalogue, blobs, search index and job queue."""

    model_config = SettingsConfigDict(env_prefix="HEXAGLOT_", extra="ignore")

    home: Path = Field(default=Path("./hexaglot-home"), description="Where an embedded archive keeps everything.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite under the home.")
    queue_url: str | None = Field(default=None, description="Huey queue: sqlite:///path or redis://host:port/db.")
    cache_url: str | None = Field(
        default=None,
        description="Redis (redis://host:port/db) for what every web process shares: search "
                    "caches, failed sign-in counters; default: the queue's Redis, if any.")
    editor_token: str | None = Field(
        default=None,
        description="Deprecated (one release): a shared bearer token that acts as staff; use "
                    "accounts and `hexaglot token create` instead.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs session cookies, CSRF tokens and media URLs; unset in embedded "
                    "mode: generated into HEXAGLOT_HOME/secret_key; required in server mode.",
    )
    session_hours: float = Field(default=12.0, gt=0, le=24 * 90,
                                 description="How long a sign-in lasts, hours.")
    signed_url_hours: float = Field(default=6.0, gt=0, le=24 * 30,
                                    description="How long a signed media URL works, hours.")
    secure_cookies: bool = Field(
        default=False,
        description="Mark cookies Secure (also done for any request that came over https).")
    embed_origins: str = Field(
        default="'self'",
        description="The origins that may frame the archive's pages (CSP frame-ancestors), "
                    "space separated.")
    speech_model: Path | None = Field(
        default=None,
        description="A CTranslate2 Whisper model directory; unset: the model `hexaglot[speech]` installs.",
    )
    transcribe: bool = Field(
        default=False,
        description="on: transcribe every audio channel after its renditions (needs a speech model).",
    )
    storage_url: str | None = Field(
        default=None, description="Blob store: a directory path, file:// URL, or s3://BUCKET/PREFIX.")
    s3_endpoint_url: str | None = Field(
        default=None, description="S3 endpoint (MinIO, Ceph, moto); unset: AWS.")
    s3_region: str | None = Field(default=None, description="S3 region; unset: boto3's default.")
    s3_access_key_id: str | None = Field(
        default=None, description="S3 access key; unset: boto3's credential chain.")
    s3_secret_access_key: SecretStr | None = Field(default=None, description="S3 secret key.")
    s3_checksums: bool = Field(
        default=True, description="Send SHA-256 checksums S3 verifies; false: Content-MD5.")
    s3_presigned_urls: bool = Field(
        default=True, description="Let clients fetch S3 blobs by presigned URL (else streamed).")
    replica_url: str | None = Field(
        default=None,
        description="A second blob store (a directory path or file:// URL) that ingest also "
                    "writes masters to; used when a master fails its fixity check.",
    )
    public_url: str | None = Field(
        default=None,
        description="The archive's public base URL (exports, OAI-PMH identifiers, IIIF ids); "
                    "default: the URL a request came in on, http://127.0.0.1:8000 for the CLI.",
    )
    oai_page_size: int = Field(default=100, ge=1, le=10_000,
                               description="Records per OAI-PMH list response.")
    audit_interval: int = Field(default=90, ge=1, le=36_500,
                                description="Days within which the fixity audit re-reads every blob.")
    audit_max_rate: float | None = Field(
        default=None, gt=0,
        description="Most megabytes per second an audit reads (unset: as fast as it can).",
    )

    document_url: str | None = Field(
        default="https://undocs.org/{symbol}",
        description="Link-out template for a meeting record or press symbol ({symbol}); "
                    "empty: no link (e.g. the UN Official Document System).",
    )
    resolution_url: str | None = Field(
        default="https://digitallibrary.un.org/search?p={symbol}",
        description="Link-out template for a resolution a record names ({symbol}, {number}, "
                    "{year}); empty: no link (e.g. the UN Digital Library).",
    )
    credit_line: str = Field(
        default="Recordings and records: United Nations. Archive: Hexaglot.",
        description="The credit line shown in every page's footer and on the about page.",
    )
    terms_of_use: str = Field(
        default="The recordings and records may be quoted, shared and embedded for "
                "non-commercial, informational use with the credit line and a link to the "
                "asset page.",
        description="The terms of use shown on the about page.",
    )

    @property
    def resolved_home(self) -> Path:
        """The home as an absolute path (created on first use)."""
        home = self.home.expanduser().resolve()
        home.mkdir(parents=True, exist_ok=True)
        return home

    @property
    def resolved_database_url(self) -> str:
        """The catalogue's database URL."""
        return self.database_url or f"sqlite:///{self.resolved_home / 'catalogue.sqlite3'}"

    @property
    def resolved_queue_url(self) -> str:
        """The job queue's URL."""
        return self.queue_url or f"sqlite:///{self.resolved_home / 'queue.sqlite3'}"

    @property
    def resolved_cache_url(self) -> str | None:
        """Where web processes share state: `cache_url`, else a Redis queue's URL, else
        None (each process keeps its own)."""
        if self.cache_url:
            return self.cache_url
        queue = self.queue_url or ""
        return queue if queue.startswith(("redis://", "rediss://")) else None

    @property
    def storage_is_s3(self) -> bool:
        """True when blobs live in an S3 bucket (`HEXAGLOT_STORAGE_URL=s3://…`)."""
        return bool(self.storage_url and self.storage_url.startswith("s3://"))

    @property
    def resolved_storage_path(self) -> Path:
        """The directory of the local blob store (with S3 storage, a local work area
        under the home: an S3 URL is never read as a path)."""
        url = None if self.storage_is_s3 else self.storage_url
        path = Path(url.removeprefix("file://")) if url else self.resolved_home / "blobs"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def is_server_mode(self) -> bool:
        """True when the catalogue is PostgreSQL (search then uses PostgreSQL too)."""
        return self.resolved_database_url.startswith("postgresql")


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
