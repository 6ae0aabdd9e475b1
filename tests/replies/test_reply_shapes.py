"""The shape of a good coaching reply, on messages written the way reps and managers type.

Each test is one property a sales coach grades: the lead uses the rep's own counterpart,
company, amount and date; one to three steps name those facts; the answer stays short; a
direct question is answered first; the trust score only appears when trust is the topic;
a good draft gets praise and nothing invented; a rep who dreads something hears a word for
the feeling; a deal with nothing wrong gets the stage's question in its own facts.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.engine import OfflineEngine
from coaching.playbooks.base import Context
from coaching.replies.compose import CHAT_WORDS
from coaching.types import CoachingResult, Role

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
ENGINE = OfflineEngine()

WEEKLY = (
    "Weekly update:\n"
    "Harbor Freight Systems - demo went well, their ops director Lukas wants a pilot. I'll "
    "send the pilot plan by Thursday.\n"
    "Verra Logistics - proposal ($85k ARR) went out Monday, their steering committee decides "
    "Dec 10. Planning to just wait.\n"
)
DREAD = (
    "Vantor Health gave us a slot with their exec committee on Dec 9 to present the proposal. "
    "Honestly I dread presenting, I freeze in front of execs. Can I just send a recorded video "
    "instead?"
)
GOOD_DRAFT = (
    "Hi Priya, thanks for walking me through how your night shift handles returns. Before I "
    "propose anything, could we spend 30 minutes on Tuesday with your warehouse lead to see "
    "the bottleneck first-hand? Best, Sam"
)
SHAPED = [
    "ugh, Kestrel Air went dark after the demo 3 wks ago. ping them again?",
    WEEKLY,
    "Draft to Jonas: Hi Jonas, I need the signature by Friday because my quarter closes on "
    "the 31st. Can you push it through?",
    GOOD_DRAFT,
    DREAD,
    "Had a first discovery call with Mira at Quellwerk GmbH today. They're looking at "
    "replacing their spreadsheet forecasting next year.",
    "Good news: Ben at Calloway Insurance loved the proposal and will present it to their CEO "
    "himself on Tuesday. EUR 120k.",
    "Lindqvist Retail says a competitor is 15% cheaper. Should I match it to close by the "
    "20th? Deal is $60k.",
    "How do I get Carla at Norbridge Energy to trust me? She's been burned by a vendor before "
    "and keeps everything at arm's length.",
    "Redfield Capital loved the demo in September, then nothing. It's been 10 weeks. Should I "
    "just send a breakup email?",
    "customer Baltic Rail ask for price list only, no meeting. I send them pdf tomorrow and wait?",
    "Tomorrow is my first meeting with Oriel Pharma: I'll open with our 12 modules and the AI "
    "roadmap, then show the integrations. 45 min.",
    "Update from Madrid: Ines at Corvane confirmed their CFO and COO will join our final "
    "presentation on Dec 15. I'm building it around their three goals from discovery.",
]


def coach(text: str, role: Role = Role.REP) -> CoachingResult:
    return ENGINE.coach(Context(text=text, now=NOW, role=role))


def lead(result: CoachingResult) -> str:
    return result.reply.split("\n\n")[0]


def steps(reply: str) -> list[str]:
    return re.findall(r"^\d\. .+$", reply, re.MULTILINE) + re.findall(
        r"^Next step: .+$", reply, re.MULTILINE
    )


@pytest.mark.parametrize("text", SHAPED, ids=lambda t: t[:30])
def test_a_chat_answer_is_short_with_at_most_three_steps(text: str) -> None:
    reply = coach(text).reply
    assert len(reply.split()) <= CHAT_WORDS
    assert len(steps(reply)) <= 3


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (SHAPED[0], "Kestrel Air"),
        (SHAPED[9], "Redfield Capital"),
        (SHAPED[10], "Baltic Rail"),
        (SHAPED[11], "Oriel Pharma"),
    ],
)
def test_the_lead_names_the_customer_the_rep_wrote_about(text: str, named: str) -> None:
    assert named in lead(coach(text))


def test_the_steps_name_the_deal_not_a_stand_in() -> None:
    reply = coach(SHAPED[9]).reply
    assert "your contact at Redfield Capital" in " ".join(steps(reply))


def test_a_weekly_update_leads_with_the_deal_at_risk_in_its_own_facts() -> None:
    result = coach(WEEKLY)
    for fact in ("Verra Logistics", "$85k ARR", "their steering committee", "Dec 10"):
        assert fact in lead(result)
    assert "Harbor Freight Systems" in result.reply
    assert "Trust score" not in result.reply


def test_a_competitor_price_question_is_answered_before_anything_else() -> None:
    result = coach(SHAPED[7])
    assert lead(result).startswith("Don't match it yet")
    assert "Lindqvist Retail" in lead(result)
    assert "$60k" in lead(result)
    assert "next action" not in result.reply


def test_a_question_about_trust_gets_an_answer_in_the_reps_facts() -> None:
    result = coach(SHAPED[8])
    assert "Carla" in lead(result)
    assert any("Carla" in step for step in steps(result.reply))
    assert "next action" not in result.reply


def test_send_and_wait_gets_what_to_send_with_it() -> None:
    result = coach(SHAPED[10])
    assert lead(result).startswith("Send it, but don't just wait")
    assert len(steps(result.reply)) == 2


def test_a_first_meeting_that_opens_on_features_is_told_so_first() -> None:
    result = coach(SHAPED[11])
    assert "what the product does" in lead(result)
    assert "history, logos, awards" not in lead(result)


def test_dread_gets_a_word_for_the_feeling_and_keeps_the_slot() -> None:
    result = coach(DREAD)
    assert "nervous" in lead(result).lower()
    assert "video" in lead(result)
    assert any("Present to their exec committee yourself" in step for step in steps(result.reply))


def test_a_good_draft_gets_earned_praise_and_nothing_to_fix() -> None:
    result = coach(GOOD_DRAFT)
    assert result.findings == []
    assert lead(result).startswith("This is good")
    assert steps(result.reply) == []
    assert "Trust score" not in result.reply


def test_a_deal_with_nothing_wrong_gets_the_stage_question_in_its_facts() -> None:
    result = coach(SHAPED[5])
    assert result.findings == []
    assert "Mira" in lead(result)
    assert "?" in lead(result)


def test_a_booked_final_presentation_is_praised_and_prepared_for() -> None:
    result = coach(SHAPED[12])
    assert lead(result).startswith("This is good")
    assert "hardest to convince" in result.reply
    assert "Dec 15" in result.reply
    assert len(result.reply.split()) <= CHAT_WORDS


@pytest.mark.parametrize("text", [SHAPED[0], SHAPED[7], SHAPED[9], SHAPED[10], DREAD])
def test_no_trust_score_where_trust_is_not_the_point(text: str) -> None:
    assert "Trust score" not in coach(text).reply


def test_a_self_serving_draft_gets_a_rewrite_with_the_counterparts_name() -> None:
    result = coach(SHAPED[2])
    assert "Jonas" in lead(result)
    assert "Try: \u201cHi Jonas," in result.reply


def test_a_vague_promise_in_a_draft_is_rewritten_with_a_day_not_an_apology() -> None:
    result = coach(
        "Hi Kofi, thanks again for the time. I'll get back to you on the security questions "
        "soon. Cheers, Ella"
    )
    assert "trust.reliability" in {f.code for f in result.findings}
    assert "Try: \u201cHi Kofi, you'll have it from me by Friday" in result.reply
    assert "sorry" not in result.reply.lower()


def test_a_note_headed_by_the_account_names_it_and_knows_the_tender_is_in() -> None:
    result = coach(
        "Thornbury Council: tender response submitted Friday, the evaluation panel scores it "
        "on the 18th. nothing else I can do right?"
    )
    assert "Thornbury Council is out" in lead(result)
    assert "the evaluation panel before the 18th" in lead(result)


def test_a_note_heading_is_not_taken_for_a_customer() -> None:
    result = coach("Next Steps: send the pilot plan to Lukas by Thursday.")
    assert "Next Steps" not in result.reply.replace("Next steps:", "")


def test_asking_whether_to_stretch_a_reference_gets_a_plain_no_and_what_to_say() -> None:
    result = coach(
        "Quick update from Hamburg: Tilda at Nordlicht Energie asked for a reference customer in "
        "utilities. I don't have one yet. Should I give her a manufacturing one and say it's "
        "similar?"
    )
    assert lead(result).startswith("No.")
    assert "Tilda" in lead(result)
    assert any(step.startswith("1. Tell Tilda") for step in steps(result.reply))
    assert "Hamburg" not in result.reply


def test_a_vague_promise_is_named_in_the_lead_when_the_message_is_short() -> None:
    result = coach("Good call with Sam. I'll send the security answers soon and book the demo.")
    assert lead(result).startswith("\u201cI'll send the security answers soon\u201d has no date")


def test_the_trust_reading_replaces_the_leads_why_instead_of_repeating_it() -> None:
    result = coach(SHAPED[2])
    assert "Trust score" in result.reply
    assert "self-orientation" in result.reply
    assert "Why:" not in result.reply


@pytest.mark.parametrize(
    ("text", "rep"),
    [
        (
            "One of my reps, Tariq, keeps reporting 60 calls a day but his pipeline hasn't moved "
            "in a month. How do I coach him?",
            "Tariq",
        ),
        (
            "Priyanka closed 112% of quota but all of it was the Analytics add-on. Anything I "
            "should raise in our 1:1?",
            "Priyanka",
        ),
    ],
)
def test_a_manager_gets_the_one_on_one_for_their_rep_by_name(text: str, rep: str) -> None:
    result = coach(text, Role.MANAGER)
    assert f"Ask {rep}:" in result.reply
    assert "Next steps" not in result.reply
    assert "Trust score" not in result.reply
    assert len(result.reply.split()) <= CHAT_WORDS


def test_a_creepy_opener_is_rewritten_without_the_personal_detail() -> None:
    result = coach(
        "Saw on Facebook that Dana at Fennick Media has a kid in hospital. Thinking of opening "
        "my email with that to build rapport before I ask about the renewal."
    )
    rewrite = next(part for part in result.reply.split("\n\n") if part.startswith("Try:"))
    assert "Dana" in rewrite
    assert "hospital" not in rewrite
    assert "kid" not in rewrite


def test_a_dated_customer_step_is_praised_with_the_deals_own_names() -> None:
    result = coach(
        "Call with Wendell at Fosbury Mills went great. He'll send their downtime data by "
        "Thursday and we walk through it together on Dec 11."
    )
    assert result.findings == []
    assert lead(result).startswith("This is good")
    assert "Wendell" in result.reply
    assert "Fosbury Mills" in result.reply


def test_a_sign_off_before_a_place_is_not_the_contact() -> None:
    result = coach(
        "Kind Regards from Vienna. The Enterprise tier is too expensive for Sabine's team at "
        "Donau Glas, she says. Should I offer a discount?"
    )
    assert "Kind Regards" not in result.reply
    assert "Donau Glas" in lead(result)


def test_bringing_our_executive_is_answered_with_their_room() -> None:
    result = coach(
        "Our CEO wants me to bring him to the Halden Group meeting on Thursday. Good idea?"
    )
    assert lead(result).startswith("Yes, if Halden Group has a peer")
    assert "second-hand" not in result.reply


def test_a_drafts_your_team_is_the_customers_step_not_yours() -> None:
    result = coach(
        "Hi Ben, as we discussed, your team will run the pilot from Jan 5, and I'll have the "
        "success criteria to you by Monday. Could we agree them together on Wednesday? Best, Kim"
    )
    assert "your team's next step" not in result.reply.lower()
