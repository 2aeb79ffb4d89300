"""Whatever arrives, in whatever order, step() answers with a screen and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Flows, StepContext, step
from bot.engine.events import Back, Choose, ChooseLanguage, Exit, Forget, Menu, Start, Text

OPTION_IDS = st.sampled_from(
    [
        "rights",
        "legal",
        "next",
        "all",
        "yes",
        "no",
        "begin",
        "hotline",
        "back",
        "menu",
        "exit",
        "@fa",
        "@en",
        "@xx",
        "",
        "1|x|y",
    ]
) | st.text(max_size=30)
NODE_IDS = (
    st.sampled_from(["rights.start", "selfcheck.q3_yes", "welcome.start", "nope.no"]) | st.none()
)
EVENTS = st.one_of(
    st.builds(Start, st.none() | st.text(max_size=80), st.none() | st.text(max_size=12)),
    st.builds(Choose, OPTION_IDS, NODE_IDS),
    st.just(Text()),
    st.just(Back()),
    st.just(Menu()),
    st.just(Exit()),
    st.just(Forget()),
    st.builds(ChooseLanguage, st.none() | st.sampled_from(["fa", "ar", "xx"])),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(EVENTS, min_size=1, max_size=25))
def test_any_sequence_of_events_gets_a_screen(flows: Flows, events: list) -> None:  # type: ignore[type-arg]
    session = None
    for number, event in enumerate(events):
        session, reply = step(flows, session, event, StepContext(float(number), "K7F3"))
        assert reply.node in flows.nodes
        assert reply.messages
        assert all(message.text for message in reply.messages)
        if session is not None:
            assert session.node in flows.nodes
            assert flows.node(session.node).remember
            assert all(flows.node(n).remember for n in session.back)
