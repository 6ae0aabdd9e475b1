"""Social selling: Don't Be Creepy, Funnelist metrics, mass outreach and giving first."""

from __future__ import annotations

import pytest

from coaching.codes import CREEPY_NEVER_CATEGORIES
from coaching.types import Role
from tests.playbooks.support import assert_exact_evidence, coach, codes, finding


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ('Draft: "Hi Jo, glad to hear your surgery went well! Can we talk freight?"', "health"),
        ('Note: "Great to meet a fellow parishioner at St. Luke\'s, Pat!"', "religion"),
        ('Email: "I saw you donated to the mayoral campaign too, Sam."', "politics"),
        ('Opener: "Hi Kim, hope your kids enjoyed the school play!"', "family"),
        ('Draft: "Lee, I loved your charity fundraiser photos last month."', "personal_causes"),
    ],
)
def test_never_category_is_flagged_with_its_category(text: str, category: str) -> None:
    result = coach(text)
    found = finding(result, "creepy.never", category)
    assert found.category in CREEPY_NEVER_CATEGORIES
    assert_exact_evidence(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "Outline for the Mercy Health review: the nurses' overtime, the audit from May.",
        "Their disaster recovery plan and health system integration are the real scope.",
        "Kevin mentioned his daughter started college, so he moved our call to Thursday.",
        "Our email campaign to their parent company got two replies.",
        "Jefferson Parish needs new servers for the courthouse.",
        "Your therapy practice has grown fast; our scheduling tool could help your front desk.",
    ],
)
def test_organisation_words_and_reported_facts_are_not_creepy(text: str) -> None:
    assert not [c for c in codes(coach(text)) if c.startswith("creepy.")]


def test_role_change_praise_and_unwitnessed_praise() -> None:
    text = (
        'Opening: "Congrats on the promotion to Head of Special Projects! Your webinar last '
        'week was amazing." I did not watch it, but everyone shared it.'
    )
    result = coach(text)
    assert {"creepy.maybe", "creepy.brown_nosing"} <= set(codes(result))
    assert_exact_evidence(text, result)


def test_praise_for_something_witnessed_is_fine() -> None:
    text = (
        'Note: "I attended your keynote on Tuesday and your point about supplier risk '
        'was brilliant."'
    )
    assert "creepy.brown_nosing" not in codes(coach(text))


def test_hobbies_early_on_are_too_personal() -> None:
    text = 'Email to a new prospect: "Saw your vacation photos from Lisbon, looked amazing!"'
    assert "creepy.too_personal" in codes(coach(text))


def test_activity_counts_are_not_progress() -> None:
    text = "This week: 90 calls, 140 emails and 25 InMails. Feeling good about the pipeline."
    result = coach(text)
    assert "funnel.activity_metrics" in codes(result)
    assert_exact_evidence(text, result)


def test_activity_with_customer_actions_is_fine() -> None:
    text = "This week: 40 calls and 60 emails; Acme agreed to a pilot and sent us their data."
    assert "funnel.activity_metrics" not in codes(coach(text))


def test_a_couple_of_calls_is_not_funnelism() -> None:
    assert not codes(coach("We had 3 calls with their team and 2 emails from the CFO this week."))


def test_mass_outreach_to_a_bought_list() -> None:
    text = "Loading 3,000 leads we purchased into the sequencer and sending the same template."
    result = coach(text)
    assert {"social.mass_outreach", "funnel.activity_metrics"} <= set(codes(result))


def test_managers_get_no_creepy_findings_on_their_own_words() -> None:
    text = 'Should my rep open with "hope your kids are well"? She is new.'
    assert not [c for c in codes(coach(text, role=Role.MANAGER)) if c.startswith("creepy.")]
