"""`step()` behaviour that conversation scripts do not show directly."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Flows, Session, StepContext, step
from bot.engine.events import Back, Choose, ChooseLanguage, Exit, Forget, Start, Text
from bot.engine.model import NodeId
from bot.engine.reply import Effect

NOW = 1_800_000_000.0


def at(flows: Flows, node: str, language: str = "en") -> Session:
    return Session(language=language, node=NodeId(node), created=NOW, updated=NOW)


def go(flows: Flows, session: Session | None, event, code: str = "K7F3"):  # type: ignore[no-untyped-def]
    return step(flows, session, event, StepContext(NOW + 10, code))


def test_step_is_deterministic(flows: Flows) -> None:
    session = at(flows, "rights.start")
    assert go(flows, session, Choose("legal")) == go(flows, session, Choose("legal"))


def test_stale_button_shows_current_node_again(flows: Flows) -> None:
    session = at(flows, "rights.start")
    after, reply = go(flows, session, Choose("does_not_exist"))
    assert reply.node == "rights.start"
    assert after is not None
    assert after.node == "rights.start"


def test_button_from_an_older_screen_shows_the_current_screen_again(flows: Flows) -> None:
    session = at(flows, "reflection.start")
    after, reply = go(flows, session, Choose("legal", "rights.start"))
    assert reply.node == "reflection.start"
    assert after is not None
    assert after.screen == session.screen, "the same screen, not a new one"


def test_a_tap_naming_an_old_screen_number_is_ignored(flows: Flows) -> None:
    session, first = go(flows, None, Start("en"))
    assert session is not None
    session, second = go(flows, session, Choose("rights", first.node, first.screen))
    assert second.node == "rights.start"
    assert second.screen != first.screen
    # The second tap of a double tap still names the menu's screen: nobody chose more.
    _, again = go(flows, session, Choose("rights", first.node, first.screen))
    assert again.node == "rights.start"
    _, back_twice = go(flows, session, Choose("back", first.node, first.screen))
    assert back_twice.node == "rights.start"


def test_a_tap_on_an_answer_counts_as_made_on_its_topic(flows: Flows) -> None:
    session, start = go(flows, None, Start("en-selfcheck"))
    session, q1 = go(flows, session, Choose("begin", start.node, start.screen))
    assert q1.node == "selfcheck.q1"
    _, q2 = go(flows, session, Choose("yes", q1.node, q1.screen))
    assert q2.node == "selfcheck.q2_yes"


def test_the_first_screen_can_be_answered_before_any_session_exists(flows: Flows) -> None:
    _, reply = go(flows, None, Choose("@ar", flows.navigation.start, 0))
    assert reply.node == flows.navigation.menu
    assert reply.language == "ar"


def test_forged_origin_falls_back_to_the_current_node(flows: Flows) -> None:
    session = at(flows, "reflection.start")
    _, reply = go(flows, session, Choose("legal", "no.such_node"))
    assert reply.node == "reflection.start"


def test_free_text_is_never_part_of_the_event() -> None:
    assert Text() == Text()
    assert not Text.__dataclass_fields__


def test_free_text_gets_the_same_screen_with_a_notice(flows: Flows) -> None:
    _, reply = go(flows, at(flows, "procedure.start"), Text())
    assert reply.node == "procedure.start"
    assert reply.notices


def test_quick_exit_deletes_the_session(flows: Flows) -> None:
    after, reply = go(flows, at(flows, "rights.legal"), Exit())
    assert after is None
    assert Effect.QUICK_EXIT in reply.effects
    assert reply.node == flows.navigation.exited


def test_forget_deletes_the_session(flows: Flows) -> None:
    after, reply = go(flows, at(flows, "rights.legal"), Forget())
    assert after is None
    assert reply.effects == (Effect.FORGET,)


def test_back_on_an_empty_stack_goes_to_the_menu(flows: Flows) -> None:
    _, reply = go(flows, at(flows, "rights.legal"), Back())
    assert reply.node == flows.navigation.menu


def test_back_stack_is_bounded(flows: Flows) -> None:
    session = at(flows, "rights.start")
    for _ in range(30):
        session, _ = go(flows, session, Choose("safety"))
        session, _ = go(flows, session, Choose("all"))
    assert session is not None
    assert len(session.back) <= 8


def test_unknown_deep_link_parts_are_ignored(flows: Flows) -> None:
    _, reply = go(flows, None, Start("xx-nosuchtopic-!!"))
    assert reply.node == flows.navigation.start
    _, reply = go(flows, None, Start("a" * 200))
    assert reply.node == flows.navigation.start


def test_hotline_entry_carries_the_handoff_but_not_in_the_session(flows: Flows) -> None:
    session = replace(at(flows, "rights.legal"), topics=("rights",))
    after, reply = go(flows, session, Choose("hotline"), code="K7F3")
    assert reply.handoff is not None
    assert reply.handoff.code == "K7F3"
    assert reply.handoff.topics == ("rights",)
    assert "K7F3" in "".join(m.text for m in reply.messages)
    assert after is not None


def test_one_handoff_code_per_session_and_staff_told_once(flows: Flows) -> None:
    session = replace(at(flows, "rights.legal"), topics=("rights",))
    after, first = go(flows, session, Choose("hotline"), code="K7F3")
    assert first.code == "K7F3"
    assert first.handoff is not None
    after, _ = go(flows, after, Choose("menu"), code="XXXX")
    again_session, again = go(flows, after, Choose("talk"), code="YYYY")
    assert again.node == flows.navigation.hotline
    assert again.code == "K7F3"
    assert "K7F3" in "".join(m.text for m in again.messages)
    assert again.handoff is None
    assert again.effects == ()
    assert again_session is not None
    assert again_session.handoff_code == "K7F3"


def test_selfcheck_answers_never_reach_the_session(flows: Flows) -> None:
    session, _ = go(flows, None, Start("en-selfcheck"))
    node = "selfcheck.start"
    stored = set()
    for option in ("begin", "yes", "no", "yes", "yes", "no"):
        session, reply = go(flows, session, Choose(option, node))
        node = reply.node
        assert session is not None
        stored.add(session.to_json())
    assert node == "selfcheck.some"
    assert all("_yes" not in s and "some" not in s and "none" not in s for s in stored)


def test_language_can_be_changed_later(flows: Flows) -> None:
    after, reply = go(flows, at(flows, "rights.legal"), ChooseLanguage())
    assert reply.node == flows.navigation.start
    code = flows.languages[-1].code
    after, reply = go(flows, after, Choose(f"@{code}", flows.navigation.start))
    assert after is not None
    assert after.language == code


def test_a_device_language_opens_the_language_menu_in_that_language(flows: Flows) -> None:
    after, reply = go(flows, None, Start(None, "fa"))
    assert reply.node == flows.navigation.start
    assert reply.language == "fa"
    assert reply.buttons[0].option_id == "@fa"
    assert after is not None
    assert after.language == "fa"


def test_a_deep_link_language_wins_over_the_device(flows: Flows) -> None:
    _, reply = go(flows, None, Start("ar-rights", "fa"))
    assert (reply.node, reply.language) == ("rights.start", "ar")


def test_a_chosen_language_wins_over_the_device(flows: Flows) -> None:
    _, reply = go(flows, at(flows, "rights.legal", "uk"), Start(None, "fa"))
    assert (reply.node, reply.language) == (flows.navigation.menu, "uk")


def draft_notice(flows: Flows, language: str) -> str:
    return flows.text(language, flows.navigation.notices["draft"]).value


def test_a_draft_language_says_so_once_on_its_first_screen(flows: Flows) -> None:
    assert flows.language("fr").status == "draft"  # type: ignore[union-attr]
    notice = draft_notice(flows, "fr")
    session, first = go(flows, None, Start("fr-rights"))
    assert first.node == "rights.start"
    assert first.notices[0] == notice
    session, second = go(flows, session, Choose("legal"))
    assert notice not in second.notices
    _, again = go(flows, session, Start("fr-reflection"))
    assert notice not in again.notices


def test_choosing_a_draft_language_on_the_language_menu_shows_the_notice(flows: Flows) -> None:
    session, menu = go(flows, None, Start(None))
    assert menu.notices == ()
    session, chosen = go(flows, session, Choose("@ru", "welcome.start"))
    assert chosen.node == "welcome.menu"
    assert chosen.notices[0] == draft_notice(flows, "ru")
    _, switched = go(flows, session, ChooseLanguage("uk"))
    assert switched.notices[0] == draft_notice(flows, "uk")


def test_english_and_reviewed_languages_never_show_the_draft_notice(flows: Flows) -> None:
    notice = draft_notice(flows, "en")
    _, first = go(flows, None, Start("en-rights"))
    assert notice not in first.notices
    reviewed = replace(
        flows, languages=tuple(replace(lang, status="reviewed") for lang in flows.languages)
    )
    _, french = go(reviewed, None, Start("fr-rights"))
    assert draft_notice(reviewed, "fr") not in french.notices


def test_a_screen_shown_again_is_the_same_reply_and_copies_of_the_flows_do_not_share_it(
    flows: Flows,
) -> None:
    _, first = step(flows, None, Start("en"), StepContext(0.0))
    _, again = step(flows, None, Start("en"), StepContext(1.0))
    assert again == first
    assert flows.rendered, "the reply was kept for the next turn"

    texts = {key: dict(table) for key, table in flows.texts.items()}
    copied = replace(flows, texts=texts)
    assert copied.rendered == {}
    _, from_copy = step(copied, None, Start("en"), StepContext(0.0))
    assert from_copy == first


def test_a_handoff_screen_is_composed_for_each_session(flows: Flows) -> None:
    hotline = flows.navigation.hotline
    replies = [
        go(flows, at(flows, "rights.legal"), Choose("hotline"), code=code)[1]
        for code in ("K7F3", "M4NP")
    ]

    assert [(r.node, r.code) for r in replies] == [(hotline, "K7F3"), (hotline, "M4NP")]
    texts = ["".join(m.text for m in r.messages) for r in replies]
    assert "K7F3" in texts[0]
    assert "M4NP" in texts[1]
    assert (hotline, "en") not in flows.rendered


def test_selfcheck_back_goes_to_the_previous_question(flows: Flows) -> None:
    session, start = go(flows, None, Start("en-selfcheck"))
    session, q1 = go(flows, session, Choose("begin", start.node, start.screen))
    session, q2 = go(flows, session, Choose("yes", q1.node, q1.screen))
    session, q3 = go(flows, session, Choose("no", q2.node, q2.screen))
    assert (q2.node, q3.node) == ("selfcheck.q2_yes", "selfcheck.q3_yes")
    assert q3.previous == "selfcheck.q2_yes", "the page is told where Back leads"
    session, back = go(flows, session, Choose("back", q3.node, q3.screen, q3.previous))
    assert back.node == "selfcheck.q2_yes"
    assert session is not None
    assert session.node == "selfcheck.start", "the question is still not stored"
    session, back = go(flows, session, Choose("back", back.node, back.screen, q2.previous))
    assert back.node == "selfcheck.q1"


def test_selfcheck_back_ignores_a_previous_that_does_not_lead_here(flows: Flows) -> None:
    session, start = go(flows, None, Start("en-selfcheck"))
    session, q1 = go(flows, session, Choose("begin", start.node, start.screen))
    session, q2 = go(flows, session, Choose("no", q1.node, q1.screen))
    _, back = go(flows, session, Choose("back", q2.node, q2.screen, "selfcheck.q4"))
    assert back.node == "selfcheck.start"
