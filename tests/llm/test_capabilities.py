"""Each step of the capability ladder, against a stand-in refusing formats as real servers do."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from coaching.llm import MAX_COMPLETION_TOKENS
from coaching.llm.capabilities import Capabilities, is_reasoning_model, refuses_format
from coaching.llm.coach import REASONING_COMPLETION_TOKENS
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.support import TEXT, coach_for, good, refine, wrapped_in_prose


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def no_schema() -> AsyncIterator[FakeOpenAI]:
    """Like the llama-cpp-python server: a strict JSON schema is answered with HTTP 500."""
    async with FakeOpenAI(refuse=("json_schema",), refuse_status=500) as server:
        yield server


@pytest.fixture
async def no_formats() -> AsyncIterator[FakeOpenAI]:
    """A server (or proxy) that takes neither a schema nor JSON mode: HTTP 400."""
    async with FakeOpenAI(refuse=("json_schema", "json_object"), refuse_status=400) as server:
        yield server


def formats(fake: FakeOpenAI) -> list[str | None]:
    return [(r.get("response_format") or {}).get("type") for r in fake.requests]


async def test_a_server_without_json_schema_is_asked_in_json_mode_with_the_schema_in_the_prompt(
    no_schema: FakeOpenAI,
) -> None:
    no_schema.enqueue(good())
    capabilities = Capabilities()
    result = await refine(coach_for(no_schema, capabilities=capabilities))
    assert result.engine == "llm"
    assert formats(no_schema) == ["json_schema", "json_object"]
    system = no_schema.requests[1]["messages"][0]["content"]
    assert '"additionalProperties": false' in system
    assert "json_schema" not in no_schema.requests[0]["messages"][0]["content"]


async def test_the_endpoint_is_remembered_so_later_turns_skip_the_refused_step(
    no_schema: FakeOpenAI,
) -> None:
    no_schema.enqueue(good(), good())
    capabilities = Capabilities()
    await refine(coach_for(no_schema, capabilities=capabilities))
    second = await refine(coach_for(no_schema, capabilities=capabilities))
    assert second.engine == "llm"
    assert formats(no_schema) == ["json_schema", "json_object", "json_object"]


async def test_a_server_without_any_format_gets_plain_text_and_the_json_is_found_in_it(
    no_formats: FakeOpenAI,
) -> None:
    no_formats.enqueue(wrapped_in_prose())
    result = await refine(coach_for(no_formats))
    assert result.engine == "llm"
    assert formats(no_formats) == ["json_schema", "json_object", None]


async def test_plain_text_without_a_valid_answer_serves_offline(no_formats: FakeOpenAI) -> None:
    no_formats.enqueue(Reply(content="Great proposal, just wait and see!"))
    result = await refine(coach_for(no_formats))
    assert result.engine == "offline"


@pytest.mark.parametrize("status", [429, 503])
async def test_transient_errors_do_not_move_the_endpoint_down(
    fake: FakeOpenAI, status: int
) -> None:
    fake.enqueue(Reply(status=status), good())
    capabilities = Capabilities()
    first = await refine(coach_for(fake, capabilities=capabilities))
    second = await refine(coach_for(fake, capabilities=capabilities))
    assert (first.engine, second.engine) == ("offline", "llm")
    assert formats(fake) == ["json_schema", "json_schema"]


async def test_a_plain_500_is_a_failure_not_a_missing_capability(fake: FakeOpenAI) -> None:
    fake.enqueue(Reply(status=500), good())
    capabilities = Capabilities()
    await refine(coach_for(fake, capabilities=capabilities))
    await refine(coach_for(fake, capabilities=capabilities))
    assert formats(fake) == ["json_schema", "json_schema"]


def test_reasoning_models_are_recognised_by_name() -> None:
    for name in (
        "o1",
        "o3-mini",
        "o4-mini-2025-04-16",
        "gpt-5",
        "gpt-5-mini",
        "azure/o3",
        "coach-gpt5",
    ):
        assert is_reasoning_model(name), name
    for name in ("gpt-4o-mini", "gpt-4.1", "llama-3.1-8b", "smollm2-135m", "qwen2.5-coder"):
        assert not is_reasoning_model(name), name


async def test_a_reasoning_model_gets_max_completion_tokens_and_no_temperature(
    fake: FakeOpenAI,
) -> None:
    fake.enqueue(good(), good())
    await refine(coach_for(fake, model="o4-mini", context_tokens=32768))
    await refine(coach_for(fake, model="gpt-4o-mini"))
    reasoning, classic = fake.requests
    assert reasoning["max_completion_tokens"] == REASONING_COMPLETION_TOKENS
    assert "temperature" not in reasoning
    assert "max_tokens" not in reasoning
    assert classic["max_tokens"] == MAX_COMPLETION_TOKENS
    assert classic["temperature"] == pytest.approx(0.2)


async def test_the_reasoning_setting_covers_a_deployment_named_otherwise(fake: FakeOpenAI) -> None:
    fake.enqueue(good())
    await refine(coach_for(fake, model="coach-prod", reasoning=True))
    assert "max_completion_tokens" in fake.requests[0]
    assert "temperature" not in fake.requests[0]


async def test_a_server_refusing_max_tokens_is_sent_reasoning_parameters_from_then_on(
    fake: FakeOpenAI,
) -> None:
    refused = "Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead."
    fake.enqueue(Reply(status=400, error=refused), good(), good())
    capabilities = Capabilities()
    first = await refine(coach_for(fake, model="my-deployment", capabilities=capabilities))
    await refine(coach_for(fake, model="my-deployment", capabilities=capabilities))
    assert first.engine == "llm"
    assert ["max_tokens" in r for r in fake.requests] == [True, False, False]
    assert ["temperature" in r for r in fake.requests] == [True, False, False]


async def test_azure_v1_endpoint_with_a_deployment_name(fake: FakeOpenAI) -> None:
    fake.enqueue(good())
    result = await refine(coach_for(fake, model="coach-gpt5", base_url=fake.azure_base_url))
    [request] = fake.requests
    assert request["_path"] == "/openai/v1/chat/completions"
    assert request["model"] == "coach-gpt5"
    assert "max_completion_tokens" in request
    assert request["response_format"]["type"] == "json_schema"
    assert result.engine == "llm"


async def test_the_logged_failure_names_the_status_and_the_servers_error_class(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.enqueue(Reply(status=500))
    with caplog.at_level(logging.WARNING, logger="coaching.llm"):
        await refine(coach_for(fake))
    [record] = [r for r in caplog.records if "fallback" in r.getMessage()]
    assert record.getMessage().startswith("llm fallback (http_500, server_error):")
    assert record.kind == "http_500"  # type: ignore[attr-defined]
    assert TEXT not in record.getMessage()
    assert "scripted failure" not in record.getMessage()


@pytest.mark.parametrize(
    ("status", "said", "refused"),
    [
        # Older llama-server builds, as reported by their users.
        (
            500,
            'response_format type must be one of "text" or "json_object", but got: json_schema',
            True,
        ),
        (400, "Invalid value for response_format: json_schema is not supported", True),
        (422, "Unsupported schema keyword", True),
        (500, "scripted failure", False),
        (503, "response_format json_schema overloaded", False),
        (400, "This model's maximum context length is 2048 tokens", False),
    ],
)
def test_which_errors_mean_the_format_is_refused(status: int, said: str, refused: bool) -> None:
    assert refuses_format(status, said) is refused
