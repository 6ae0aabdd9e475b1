"""The one place that reads the environment (and `.env`).

Everything else receives a validated `Settings` object, so a factory can be tested with any
configuration and nothing is built at import time.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "salescoach"


def default_database_url() -> str:
    """A SQLite file in the user's data directory: zero setup for the embedded default."""
    return f"sqlite:///{Path(user_data_dir(APP_NAME)) / 'coach.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(default_factory=default_database_url, alias="COACH_DATABASE_URL")

    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    model: str = Field(default="gpt-4o-mini", alias="COACH_MODEL")
    llm_timeout_seconds: float = Field(default=30.0, gt=0, alias="COACH_LLM_TIMEOUT")
    llm_max_retries: int = Field(default=2, ge=0, le=5, alias="COACH_LLM_MAX_RETRIES")

    max_input_chars: int = Field(default=200_000, gt=0, alias="COACH_MAX_INPUT_CHARS")
    memory_turns: int = Field(default=6, ge=0, le=50, alias="COACH_MEMORY_TURNS")
    default_timezone: str | None = Field(default=None, alias="COACH_TIMEZONE")

    host: str = Field(default="127.0.0.1", alias="COACH_HOST")
    port: int = Field(default=3000, ge=1, le=65535, alias="COACH_PORT")
    log_level: str = Field(default="INFO", alias="COACH_LOG_LEVEL")

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())


def load_settings(*, database_url: str | None = None) -> Settings:
    """Settings from the environment and `.env`, with the `--db` flag on top when given."""
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings
