"""What a rep notices in a reply: one point first, their own facts, steps, and no lecture."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from coaching.engine import CAPABILITIES, OfflineEngine
from coaching.playbooks.base import Context
from coaching.playbooks.stages import stage_question
from coaching.replies.compose import CHAT_WORDS, Turn, compose
from coaching.replies.explain import NOTHING, explain
from coaching.replies.facts import read_facts, single_deal
from coaching.replies.moves import load_moves
from coaching.types import CoachingResult, Finding, Role, Severity

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
ENGINE = OfflineEngine()


def coach(text: str, role: Role = Role.REP) -> CoachingResult:
    return ENGINE.coach(Context(text=text, now=NOW, role=role))


def first_paragraph(result: CoachingResult) -> str:
    return result.reply.split("\n\n")[0]


def test_the_lead_names_who_decides_and_when_in_the_reps_words() -> None:
    result = coach(
        "The Kestrel Logistics proposal went out Monday. Their steering committee decides on "
        "Dec 9, so I'll just wait and see."
    )
    assert "p3.not_requested" in {f.code for f in result.findings}
    assert "their steering committee" in first_paragraph(result)
    assert (
        "Ask your contact at Kestrel Logistics today for 30 minutes with their steering "
        "committee before Dec 9" in result.reply
    )


def test_the_lead_names_the_counterpart_a_draft_greets() -> None:
    result = coach(
        "Draft email: Hi Marguerite, I need this signed by Friday because my quarter closes and "
        "my manager approved an extra discount only until then."
    )
    assert result.findings
    assert "Marguerite" in result.reply


def test_a_p3_message_carries_no_trust_score() -> None:
    result = coach(
        "Sent the proposal to Halvard Foods yesterday; their CFO decides next week and I'll "
        "wait for her answer."
    )
    assert {f.code for f in result.findings} & {"p3.not_requested", "p3.decision_maker_absent"}
    assert "Trust score" not in result.reply
    assert "self-orientation" not in result.reply.lower()


def test_a_self_serving_draft_shows_the_trust_score_and_what_would_move_it() -> None:
    result = coach(
        "Draft to Omar: can we get this signed by the 30th? I need it for my number this "
        "quarter and my boss is on me about the forecast."
    )
    assert "trust.self_orientation" in {f.code for f in result.findings}
    assert "Trust score" in result.reply
    assert "self-orientation" in result.reply


def test_a_good_draft_gets_praise_with_its_reason_and_no_finding() -> None:
    result = coach(
        "Draft email: Hi Sunita, thanks for walking me through the rollout problems your "
        "night shift had. What would a good first month look like for your team? I don't "
        "know yet whether our scanner works with your older handhelds; I'll confirm with our "
        "engineers by Thursday."
    )
    assert result.findings == []
    assert result.reply.startswith("This is good:")
    assert "don't know" in result.reply or "situation" in result.reply


def test_a_rep_who_dreads_presenting_hears_a_word_for_the_feeling_first() -> None:
    result = coach(
        "honestly i dread presenting to their board, my hands shake. can I just send the deck "
        "and skip the final presentation?"
    )
    assert "p3.excuse.public_speaking" in {f.code for f in result.findings}
    assert "nervous" in first_paragraph(result).lower()


def test_chat_answers_stay_short_even_with_several_findings() -> None:
    result = coach(
        "Weekly update: 180 calls and 400 emails this week, great activity. The Borealis "
        "proposal went out Tuesday and I'll let them decide. Also emailing Dana at Pinecrest "
        "that we are the #1 platform in the world and that I hope her chemo is going well. "
        "I'll send the pricing soon."
    )
    assert len(result.findings) >= 3
    assert len(result.reply.split()) <= CHAT_WORDS
    assert "Also worth fixing:" in result.reply


def test_the_theory_is_in_why_not_in_the_reply() -> None:
    result = coach("Sent the proposal to Acme, now I'll wait for their decision.")
    summary_start = "A written proposal rarely wins"
    assert summary_start not in result.reply
    assert summary_start in explain(result)
    assert result.findings[0].evidence in explain(result)


def test_why_before_any_answer_says_so() -> None:
    assert explain(None) == NOTHING


def test_small_talk_still_gets_the_introduction() -> None:
    assert coach("hi there, how are you?").reply == CAPABILITIES


def test_a_champion_taking_it_upstairs_is_named_with_the_decider_and_the_day() -> None:
    result = coach(
        "Priya at Northwind said she'll take our proposal to the CFO herself on Tuesday."
    )
    assert "p3.decision_maker_absent" in {f.code for f in result.findings}
    assert "Suggest to Priya that you present it together" in result.reply
    assert "15 minutes with the CFO before Tuesday" in result.reply


def test_a_draft_that_listens_first_is_praised_and_cleared_to_send() -> None:
    result = coach(
        "Hi Lena, thanks for walking me through the churn numbers yesterday. Before I suggest "
        "anything, could we spend 30 minutes on Thursday with your support lead to see where "
        "tickets pile up? I'd rather understand it first."
    )
    assert result.findings == []
    assert result.reply.startswith("This is good: you ask about their situation")
    assert "send it as it is" in result.reply
    assert "since they bought" not in result.reply


def test_a_multi_account_update_keeps_each_accounts_people_apart() -> None:
    result = coach(
        "Monday notes:\n"
        "1) Brightwater Mills Ltd renewal is fine, Oskar said they'll confirm seats by Friday.\n"
        "2) Corvane Health Inc - sent the proposal to procurement last week. Their board "
        "decides on the 16th, so I'm just waiting."
    )
    assert "p3.not_requested" in {f.code for f in result.findings}
    lead = first_paragraph(result)
    assert "Corvane Health" in lead
    assert "their board before the 16th" in lead
    assert "Brightwater" not in lead
    assert "Ask Oskar" not in result.reply


def test_a_manager_hears_what_to_take_into_the_one_to_one_with_the_rep() -> None:
    result = coach(
        "Marek keeps topping our call leaderboard, 300 dials and 150 emails a week, so I want "
        "to give him the monthly prize again. Good idea?",
        Role.MANAGER,
    )
    assert "funnel.activity_metrics" in {f.code for f in result.findings}
    assert "ask Marek for the two deals where the customer owes the next step" in result.reply
    assert "These numbers count what you did" not in result.reply


def test_a_champion_presenting_alone_is_not_praised_as_a_booked_final_presentation() -> None:
    result = coach(
        "Good news: Malik (head of IT at Fenwick Dairy) likes the proposal and will take it "
        "into his Thursday meeting with the CFO and present it himself. He said there's no "
        "need for me to join."
    )
    assert "p3.decision_maker_absent" in {f.code for f in result.findings}
    assert "This is good" not in result.reply
    assert "Malik" in result.reply


def test_a_product_name_is_never_taken_for_the_rep_a_manager_writes_about() -> None:
    result = coach(
        "Ilse finished at 120% of quota, but every single deal was our Payroll module and "
        "zero Workforce Planning, the line leadership cares about. Her review is Friday.",
        Role.MANAGER,
    )
    assert "revenue.unbalanced" in {f.code for f in result.findings}
    assert "Recognise Ilse's result" in result.reply
    assert "Payroll's" not in result.reply


def test_a_situation_only_hinted_at_is_asked_about_in_the_reps_facts() -> None:
    text = "sent pricing to Kestrel Mfg fri, she says its with her cfo now. shud i just wait?"
    turn = Turn(
        ctx=Context(text=text, now=NOW),
        reports=[],
        findings=[],
        commitments=[],
        scores=None,
        stage=None,
        hunch="p3.not_requested",
    )
    reply = compose(turn)
    assert reply.startswith("Where does the proposal go from here")
    assert "will you be in the room with the CFO" in reply
    assert reply != CAPABILITIES


def test_without_a_hint_a_deal_message_gets_its_stages_question() -> None:
    turn = Turn(
        ctx=Context(text="Quick update on the Wexford renewal.", now=NOW),
        reports=[],
        findings=[],
        commitments=[],
        scores=None,
        stage=stage_question("Quick update on the Wexford renewal.", about_a_deal=True),
    )
    assert compose(turn).startswith("What result has Wexford seen")


def test_a_drafts_wording_leads_over_the_deals_timing() -> None:
    text = "Hi Felipe, my quarter ends on the 31st, so can you sign by the 18th?"
    timing = Finding(
        code="decay.hot_window", severity=Severity.HIGH, evidence=text[:20], advice="Book it."
    )
    wording = Finding(
        code="trust.self_orientation", severity=Severity.MEDIUM, evidence=text, advice="Theirs."
    )
    turn = Turn(
        ctx=Context(text=text, now=NOW),
        reports=[],
        findings=[timing, wording],
        commitments=[],
        scores=None,
        stage=None,
    )
    assert compose(turn).startswith("This is written around what you want")


def test_a_direct_question_about_a_discount_is_answered_first_with_the_reps_contact() -> None:
    result = coach(
        "is it worth giving Marlowe Textiles 15% off to get it signed this month? Ana says "
        "they're comparing us with two others"
    )
    assert result.reply.startswith("Not as a way to close.")
    assert "Ask Ana what still stands between them and a yes" in result.reply


def test_a_manager_asking_about_a_reps_discount_hears_the_one_to_one_version() -> None:
    result = coach(
        "Dev wants to give Norrland Paper 20% off so they sign by the 30th. Should I approve it?",
        Role.MANAGER,
    )
    assert result.reply.startswith("Not as it stands.")
    assert "Ask Dev what the customer still needs" in result.reply


def test_who_to_bring_is_answered_with_the_decider_in_the_room() -> None:
    result = coach(
        "who should i take to the final meeting at Calder Insurance next week? their CEO is coming"
    )
    assert first_paragraph(result).startswith("Match their room")
    assert "With their CEO in the room" in result.reply


def test_a_deal_gone_silent_gets_what_to_send_now_even_without_a_finding() -> None:
    result = coach("Birchwood Foods went quiet after the demo and Hana hasn't replied. what now?")
    assert result.reply.startswith("Stop the check-ins")
    assert "Write Hana three lines" in result.reply


def test_a_draft_with_a_problem_gets_its_sentence_rewritten_for_the_same_person() -> None:
    result = coach(
        "Draft: Hi Rosa, we need this signed by Friday because our quarter closes and I have a "
        "number to hit."
    )
    assert "trust.self_orientation" in {f.code for f in result.findings}
    tries = [p for p in result.reply.split("\n\n") if p.startswith("Try:")]
    assert len(tries) == 1
    assert tries[0].startswith("Try: \u201cHi Rosa,")


def test_a_good_draft_gets_no_rewrite() -> None:
    result = coach(
        "Hi Pieter, thanks for the tour of the plant. Which two bottlenecks would you most like "
        "gone by spring? I'd like to understand them before proposing anything."
    )
    assert result.reply.startswith("This is good")
    assert "Try:" not in result.reply


def test_the_second_deal_in_a_message_gets_its_own_line() -> None:
    result = coach(
        "Oakmere Dental: Lars confirmed they'll sign the order form by Friday. Kestrel Logistics "
        "- sent the proposal Monday, their board decides on the 16th, I'll wait."
    )
    assert "Kestrel Logistics" in first_paragraph(result)
    second = [p for p in result.reply.split("\n\n") if p.startswith("And on Oakmere Dental:")]
    assert second
    assert "Lars" in second[0]


def test_nerves_get_a_human_sentence_before_the_step() -> None:
    result = coach(
        "really nervous about thursday's pitch to Harlow Clinics, what if they ask about the "
        "API limits and i don't know?"
    )
    paragraphs = result.reply.split("\n\n")
    assert "nervous" in paragraphs[0].lower()
    assert "normal" in paragraphs[0]
    assert paragraphs[1].startswith("Then say so")


def test_a_champion_bringing_it_to_the_ceo_herself_is_the_point_and_not_praised() -> None:
    result = coach("Good news, Ines at Calloway will bring it to the CEO herself on Friday.")
    assert result.findings[0].code == "p3.decision_maker_absent"
    assert "This is good" not in result.reply
    assert "Suggest to Ines that you present it together" in result.reply


def test_the_word_budget_counts_the_suggested_and_tracking_lines() -> None:
    result = coach(
        "Sent the $90k proposal to Fairholm Foods today, their CFO decides on the 14th and I'll "
        "wait. Also should i cc my VP on the email to Fairholm? I'll send the case studies soon "
        "and the security answers later. Separately Quill Ltd went silent after the demo."
    )
    assert result.commitments
    assert len(result.reply.split()) <= CHAT_WORDS


def test_what_to_say_in_the_final_meeting_is_answered_not_lectured() -> None:
    result = coach(
        "what should i even present at the final meeting with Pendle Glass? feels like they've "
        "heard it all already"
    )
    assert result.reply.startswith("Tell their story back to them")
    assert "Also worth fixing" not in result.reply


def test_a_champion_presenting_for_us_is_not_called_progress() -> None:
    result = coach(
        "Wren at Hollis Freight loves it and she'll present our proposal to the board on Friday."
    )
    assert "p3.decision_maker_absent" in {f.code for f in result.findings}
    assert "real progress" not in result.reply


def test_a_contact_named_after_a_preposition_is_who_the_step_names() -> None:
    result = coach(
        "Sent the proposal to Lukas at Odera on Monday. He'll pass it to their steering "
        "committee, which decides on the 18th."
    )
    assert "Ask Lukas today for 30 minutes with their steering committee" in result.reply
    assert "your contact" not in result.reply


def test_a_company_outside_any_known_list_is_named_in_the_lead() -> None:
    result = coach("Proposal for Arden Hotels is out, 85k. I'll just wait for their board.")
    assert first_paragraph(result).startswith("The proposal to Arden Hotels is out")


def test_a_weekday_or_a_tool_after_a_preposition_is_not_taken_for_a_company() -> None:
    text = (
        "Priya at Hanlon replied from Slack, she wants the pricing for Monday. I'll send her "
        "our feature list."
    )
    facts = read_facts(text, NOW)
    assert (facts.contact, facts.company) == ("Priya", "Hanlon")
    assert single_deal(text)


def test_each_deals_person_stays_with_their_own_deal() -> None:
    result = coach(
        "Nina at Crane Bio loved the demo and asked for a quote. Ostrava Steel's board votes on "
        "Thursday on our proposal; I'll wait for their answer."
    )
    lead = result.reply.split("And on")[0]
    assert "Ostrava Steel" in lead
    assert "Nina" not in lead


def test_the_second_deals_person_presenting_for_us_is_not_cheered_as_progress() -> None:
    result = coach(
        "Two updates: Fennick Labs signed the pilot, Ruth there is thrilled. Also Baxter Farms: "
        "Jonas wants the board deck and their board votes on the 10th, he'll present it."
    )
    line = next(p for p in result.reply.split("\n\n") if p.startswith("And on Baxter Farms"))
    assert "second-hand" in line
    assert "real step" not in line


def test_a_good_follow_up_draft_is_praised_for_what_it_does_in_its_own_words() -> None:
    result = coach(
        "Draft to Carla: Hi Carla, you mentioned the audit in March is what worries your team "
        "most. I've put together a one-page plan showing how the first three steps land "
        "before then. Would Thursday at 2pm work to go through it with you and Piet?"
    )
    assert result.findings == []
    assert result.reply.startswith("This is good")
    assert "It works because it starts from what Carla told you" in result.reply
    assert "Thursday at 2pm" in result.reply


def test_a_managers_discount_question_gets_no_reason_the_message_never_gave() -> None:
    result = coach(
        "Priyanka wants to give Arden Hotels a 25% discount to get the signature. Should I "
        "approve it?",
        role=Role.MANAGER,
    )
    assert first_paragraph(result).startswith("Not as it stands")
    assert "month" not in result.reply.lower()


def test_a_chase_for_the_reps_own_forecast_leads_with_whose_reasons_they_are() -> None:
    result = coach(
        "Draft to Ellen: Hi Ellen, just checking in to see if you had any updates on the "
        "contract. I need to update my forecast by Friday so please let me know."
    )
    assert "trust.self_orientation" in {f.code for f in result.findings}
    assert first_paragraph(result).startswith("This is written around what you want")
    assert "concern" not in result.reply
    assert "sorry" not in result.reply.lower()


def test_a_champion_presenting_without_the_rep_is_not_praised() -> None:
    result = coach(
        "Crane Bio's champion Nina will present our proposal to the CFO on Tuesday without me."
    )
    assert "This is good" not in result.reply
    assert "Suggest to Nina that you present it together" in result.reply


def test_the_stage_question_names_the_one_customer_the_message_is_about() -> None:
    result = coach(
        "Quick one: call with Matteo from Verra Logistics went well. He asked for references."
    )
    assert "the customer" not in result.reply
    assert "Verra Logistics" in first_paragraph(result)


def test_messaging_every_member_of_a_group_is_coached_as_mass_outreach() -> None:
    result = coach("I want to DM all 200 members of the Kestrel Media group about our release.")
    assert [f.code for f in result.findings] == ["social.mass_outreach"]


def test_a_deal_that_said_no_gets_the_short_line_and_the_live_one_the_question() -> None:
    result = coach(
        "Spoke with Hana for Quill Ltd and with Omar at Redfield. Quill Ltd said no, budget got "
        "cut. Redfield wants a demo for their ops team next week."
    )
    last_deal_line = next(p for p in result.reply.split("\n\n") if p.startswith("And on"))
    assert last_deal_line.startswith("And on Quill Ltd: take the no gracefully")
    assert "And on Redfield" not in result.reply


def test_a_manager_asking_what_to_say_gets_questions_for_the_one_on_one() -> None:
    result = coach(
        "Oskar swears Fairlane Mills will sign this month, yet their COO has not once met us. "
        "What should I say to Oskar on Thursday?",
        role=Role.MANAGER,
    )
    assert "Ask Oskar:" in result.reply
    assert "Listen for:" in result.reply
    assert "Agree before you finish:" in result.reply
    assert "their COO" in result.reply
    assert "Next steps" not in result.reply


def test_a_manager_coaching_a_named_rep_hears_that_name_not_your_rep() -> None:
    result = coach(
        "How should I coach Ilse? She told Wexford Paper they get 15% off only if they sign "
        "before our fiscal year closes.",
        role=Role.MANAGER,
    )
    assert "Ask Ilse:" in result.reply
    assert "your rep" not in result.reply


def test_a_manager_with_nothing_flagged_still_gets_one_on_one_questions() -> None:
    result = coach("Any tips for my 1:1 with Bruno about the Calder Farms deal?", role=Role.MANAGER)
    assert "Ask Bruno:" in result.reply
    assert "Calder Farms" in result.reply


def test_in_a_draft_the_unbacked_claim_leads_over_the_meeting() -> None:
    result = coach(
        "Draft: Hi Ms. Adeyemi, we are simply the world's number one provider and the best "
        "choice for Tamsin Foods. Let me know when you are free to talk."
    )
    codes = [f.code for f in result.findings]
    assert "trust.credibility" in codes
    assert first_paragraph(result) == load_moves().codes["trust.credibility"].lead


def test_a_question_inside_a_pasted_draft_is_the_draft_not_a_question_to_the_coach() -> None:
    result = coach(
        "Hi Gustav, my quarter ends Friday so I need your signature by then. Could we knock "
        "off 12% to make it happen?"
    )
    assert "Not as a way to close" not in result.reply


def test_names_in_everyday_chat_openings_are_read_right() -> None:
    cases = {
        "At Linden Freight the buyers want a lower price. Should I move?": (None, "Linden Freight"),
        "Bramwell haven't answered since the demo.": (None, "Bramwell"),
        "The renewal with Oakhurst is stuck; their finance lead Petra wants a cap.": (
            "Petra",
            "Oakhurst",
        ),
        "Phoned Renata at Colt Dairy this morning about the pilot.": ("Renata", "Colt Dairy"),
        "Lunch with Amir, the plant manager at Hesketh, went well.": ("Amir", "Hesketh"),
        "Meanwhile Tarn Analytics wants a second workshop.": (None, "Tarn Analytics"),
    }
    for text, (contact, company) in cases.items():
        facts = read_facts(text, NOW)
        assert (facts.contact, facts.company) == (contact, company), text


def test_a_presentation_already_set_gets_preparation_not_a_request_for_it() -> None:
    result = coach(
        "Their COO confirmed our final presentation to the Brandt Textiles exec committee on "
        "Dec 15. What should I focus on?"
    )
    assert "hardest to convince" in result.reply
    assert "next action" not in result.reply
    assert "ask for a short final presentation" not in result.reply.lower()


def test_a_pain_the_customer_already_priced_gets_who_owns_it_not_what_it_costs() -> None:
    result = coach(
        "Good chat with Yusuf at Pemberton Mills: scrap on line 3 is losing them 40k a month. "
        "Where do I take it?"
    )
    assert result.findings == []
    assert first_paragraph(result).startswith("Yusuf has put a number on the problem (40k")
    assert "who owns that number" in result.reply


def test_a_deal_in_negotiation_gets_the_close_plan_not_who_else_is_involved() -> None:
    result = coach(
        "Halden Group is negotiating payment terms now; they want net 60 and we offer net 30."
    )
    assert "Halden Group still have to do before they sign" in result.reply
    assert "who else" not in result.reply.lower()


def test_a_dated_customer_step_is_praised_without_asking_for_one() -> None:
    result = coach(
        "Good call with Rosa at Ketterby. She'll send us their ticket exports by Tuesday and "
        "we hold the design session on Dec 10."
    )
    assert result.reply.startswith("This is good:")
    assert "If there is none yet" not in result.reply
    assert "Confirm it with Rosa the day before" in result.reply


def test_what_if_a_named_person_asks_what_i_cannot_answer_gets_a_dated_i_will_find_out() -> None:
    result = coach(
        "what if the CTO at Norwell asks about on-prem support and I honestly dont know?"
    )
    assert first_paragraph(result).startswith("Then say so, with a date")
    assert "Norwell" in result.reply


def test_asking_who_else_to_involve_names_the_people_who_can_stop_it() -> None:
    result = coach(
        "Redlines with Aldgate Foods are nearly done. Who else should I loop in on their side?"
    )
    assert "who has to say yes before Aldgate Foods signs" in result.reply


def test_a_proposal_that_went_out_is_not_called_about_to_go_out() -> None:
    result = coach(
        "Sent the proposal to Brisk Couriers on Tuesday. Their owner decides on Dec 18; I'll "
        "wait to hear back."
    )
    assert "The proposal to Brisk Couriers is out" in first_paragraph(result)
    assert "about to" not in first_paragraph(result)


def test_the_why_line_speaks_of_this_deals_decider() -> None:
    result = coach(
        "The Ostler Bank proposal went out Monday. Their credit committee decides next week; "
        "I'll just wait."
    )
    why = next(line for line in result.reply.split("\n\n") if line.startswith("Why:"))
    assert "their credit committee" in why


def test_a_champion_presenting_for_us_leads_over_the_missing_request() -> None:
    result = coach(
        "Pipeline: Marsh Dairy proposal went out Tuesday, 90k, their board decides Dec 16, "
        "Keira (my champion) will present it to them. Logged 55 dials this week."
    )
    assert "p3.decision_maker_absent" in {f.code for f in result.findings}
    assert first_paragraph(result).startswith("Their board will hear your proposal")
    assert "Suggest to Keira" in result.reply


def test_a_question_about_an_email_is_still_answered_as_a_question() -> None:
    result = coach("Would it help to cc my boss on the email to Gorse Textiles so they move?")
    assert first_paragraph(result).startswith("Not to show you are serious")


def test_the_live_deal_gets_its_own_name_in_the_question_and_the_lost_one_its_line() -> None:
    result = coach(
        "Harrow Mutual went with a rival last week. Meanwhile Pinecrest Tools wants a pilot "
        "for their plant managers in January."
    )
    assert first_paragraph(result).startswith("What will Pinecrest Tools need to see")
    assert "Harrow Mutual" not in first_paragraph(result)
    assert "And on Harrow Mutual: take the no gracefully" in result.reply


def test_the_person_a_promise_was_made_to_is_the_contact() -> None:
    facts = read_facts("Told Ragnar I'd send the revised SOW. Ursa Marine still undecided.", NOW)
    assert facts.contact == "Ragnar"


def test_a_rep_asked_why_we_cost_more_gets_how_to_explain_it_not_a_lecture() -> None:
    result = coach(
        "Tolland Homes want to know why we're 40% more than the other bidder. How do I handle it?"
    )
    assert first_paragraph(result).startswith("Don't defend the number")
    assert "Tolland Homes" in first_paragraph(result)
    assert "Trust score" not in result.reply


def test_tips_for_a_discovery_call_name_the_person_and_a_dated_close() -> None:
    result = coach("First call with Greer Optics on Monday, their plant lead is Imogen. Tips?")
    assert first_paragraph(result).startswith("Go in to learn, not to pitch")
    assert "agree one next step with Imogen, with a date" in result.reply


def test_a_manager_asking_about_an_award_gets_an_answer_about_what_it_recognises() -> None:
    result = coach(
        "Bastian closed 125%, every euro from one product. Rep of the year for him?",
        role=Role.MANAGER,
    )
    assert first_paragraph(result).startswith("Recognise the number; it was earned.")
    assert "Bastian" in result.reply


def test_without_a_name_the_customers_person_is_named_by_role() -> None:
    result = coach(
        "Fallow Grain have gone quiet since the trade show. Their head of supply loved the demo "
        "back then. What now?"
    )
    assert "their head of supply" in result.reply
    assert "your contact" not in result.reply


def test_a_customer_going_quiet_before_renewal_gets_a_value_review_not_a_breakup_note() -> None:
    result = coach(
        "Renewal with Marlowe Libraries is due in February, 45k. Logins have dropped by half "
        "since September and nobody answers my emails."
    )
    assert "decay.stale" in {f.code for f in result.findings}
    assert first_paragraph(result).startswith("Nothing Marlowe Libraries has done lately")
    assert "still a priority" not in result.reply


def test_a_discount_demanded_under_threat_gets_the_threat_tested_first() -> None:
    result = coach(
        "Purchasing at Dovecote Hotels says 12% off or they stay with the incumbent. Do I cave?"
    )
    assert first_paragraph(result).startswith("Not yet. Test the threat")
    assert "Dovecote Hotels" in first_paragraph(result)


def test_a_manager_asking_where_to_start_gets_the_deals_past_their_date_first() -> None:
    result = coach(
        "Team check: Ruth has two deals past their close date; Colm logs loads of calls but his "
        "customers owe him nothing. Where should I start?",
        role=Role.MANAGER,
    )
    assert first_paragraph(result).startswith("Start with the deals past their close date")
    assert "Also worth fixing" not in result.reply


def test_a_trial_with_agreed_criteria_and_a_booked_decision_is_praised_and_prepared() -> None:
    result = coach(
        "Pilot at Quenby Foods wraps Jan 8; exit criteria signed off by their ops VP and the "
        "decision meeting is set for Jan 12 with the CFO."
    )
    assert result.reply.startswith("This is good: the success criteria are agreed")
    assert "Agree the success criteria" not in result.reply
    assert "hardest to convince" in result.reply


def test_a_customer_thinking_it_over_has_the_proposal_already() -> None:
    facts = read_facts("Their CFO wants to think it over until January; the quote was 60k.", NOW)
    assert facts.proposal_out


def test_a_chasing_draft_gets_told_to_stop_chasing_and_give_something_new() -> None:
    result = coach(
        "Draft: Hi Marit, just circling back on my last two emails about the renewal. Any news?"
    )
    assert first_paragraph(result).startswith("Stop the check-ins")
    assert "Marit" in result.reply


def test_a_price_rise_as_a_closing_lever_is_answered_before_anything_else() -> None:
    result = coach(
        "My director wants Olafsen Ltd signed this month. Can I warn their buyer Sven that "
        "prices go up after New Year?"
    )
    assert first_paragraph(result).startswith("Only if it is true, and never as a lever")
    assert "Sven" in first_paragraph(result)


def test_a_sentence_opening_on_a_leading_word_alone_names_nobody() -> None:
    text = (
        "Update from Brazil: the customer Ferrovia Central sent the maintenance history of 2 "
        "years and they ask for workshop in São Paulo on 9 December. The director of "
        "operations also will come. I prepare with the engineer the analysis before."
    )
    assert read_facts(text, NOW).contact is None  # and no crash on "The director of"
