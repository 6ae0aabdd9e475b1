"""What the coach says nothing about, and how fast it says the rest."""

from __future__ import annotations

import pytest

from tests.playbooks.support import assert_exact_evidence, coach, codes

TAIL = "P.S. Hope your husband's recovery is going well and the kids like their new school!"


@pytest.mark.parametrize(
    "text", ["asdf qwer ;;; 🙃🙃", "hello", "Thanks!", "What's the weather like?"]
)
def test_nonsense_and_small_talk_get_no_playbook(text: str) -> None:
    result = coach(text)
    assert result.playbooks == []
    assert not result.findings
    assert not result.commitments
    assert result.scores is None


def test_a_long_paste_is_read_to_the_end() -> None:
    clause = (
        "7. Terms. The supplier delivers the services in Schedule A to the service levels in "
        "Schedule B; fees are payable within thirty days of invoice.\n\n"
    )
    text = clause * (60_000 // len(clause)) + TAIL
    result = coach(text, review=True)
    assert "creepy.never" in codes(result)
    assert_exact_evidence(text, result)
