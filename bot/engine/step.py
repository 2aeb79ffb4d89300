"""`step(flows, session, event, context)`: the whole conversation logic, pure.

It never sends, stores, reads the clock or draws random numbers: the caller passes
the time and a fresh hand-off code in `StepContext`, then sends and saves the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.engine.events import (
    Back,
    Choose,
    ChooseLanguage,
    Event,
    Exit,
    Forget,
    Menu,
    Start,
    Text,
)
from bot.engine.model import (
    LANGUAGE_OPTION_PREFIX,
    SOURCE_LANGUAGE,
    Action,
    Flows,
    Node,
    NodeId,
    Option,
    OptionId,
)
from bot.engine.payload import parse_payload
from bot.engine.reply import NO_CODE, Button, Effect, Handoff, Message, Reply
from bot.engine.session import BACK_STACK_LIMIT, SCREEN_MODULO, TOPIC_LIMIT, Session
from bot.engine.texts import isolate


@dataclass(frozen=True)
class StepContext:
    now: float
    handoff_code: str = NO_CODE


DRAFT_NOTICE = "draft"
DRAFT_STATUS = "draft"


def step(
    flows: Flows, session: Session | None, event: Event, context: StepContext
) -> tuple[Session | None, Reply]:
    """Apply one event; return the new session (None: delete it) and the reply."""
    before = session.language if session is not None else None
    after, reply = _step(flows, session, event, context)
    if after is not None and after.language != before:
        reply = _with_draft_notice(flows, after.language, reply)
    return after, reply


def draft_notice(flows: Flows, language: str | None) -> str | None:
    """The notice that `language` is a draft translation, in it; None if it is not a draft."""
    spoken = flows.language(language)
    key = flows.navigation.notices.get(DRAFT_NOTICE)
    if spoken is None or spoken.status != DRAFT_STATUS or key is None:
        return None
    return flows.text(spoken.code, key).value


def _with_draft_notice(flows: Flows, language: str | None, reply: Reply) -> Reply:
    """The first screen in a draft language says, once, that it is a draft: the
    session's language just changed to it, so the next screens do not repeat it."""
    notice = draft_notice(flows, language)
    if notice is None:
        return reply
    return replace(reply, notices=(notice, *reply.notices))


def _step(
    flows: Flows, session: Session | None, event: Event, context: StepContext
) -> tuple[Session | None, Reply]:
    current = session or Session(created=context.now, updated=context.now)
    current = replace(current, updated=context.now)
    nav = flows.navigation
    match event:
        case Start(payload=payload, suggested=suggested):
            return _start(flows, current, payload, context, suggested)
        case Choose(node=origin) if current.node not in flows.nodes:
            if origin is None or origin != _here(flows, current):
                return _start(flows, current, None, context)
            # A tap on the first screen, drawn before any session existed (web chat).
            return _choose(flows, replace(current, node=NodeId(origin)), event, context)
        case Choose():
            return _choose(flows, current, event, context)
        case Text():
            return _show(flows, current, _here(flows, current), context, notice="free_text")
        case Back():
            return _back(flows, current, context)
        case Menu():
            return _menu(flows, current, context)
        case ChooseLanguage(code=code):
            if code and flows.language(code):
                chosen = replace(current, language=code)
                return _go(flows, chosen, nav.menu, context, remember=False)
            return _go(flows, current, nav.start, context, remember=False)
        case Exit():
            return None, _ending(flows, current, nav.exited, (Effect.QUICK_EXIT, Effect.FORGET))
        case Forget():
            return None, _ending(flows, current, nav.forgotten, (Effect.FORGET,))
    raise TypeError(f"step() got {event!r}, which is not an engine event")


def render(flows: Flows, node_id: NodeId, language: str | None, code: str = NO_CODE) -> Reply:
    """The reply showing `node_id` in `language` (tests and previews use this)."""
    return _render(flows, flows.node(node_id), language or SOURCE_LANGUAGE, code, ())


def _here(flows: Flows, session: Session) -> NodeId:
    if session.node in flows.nodes:
        return session.node  # type: ignore[return-value]
    return flows.navigation.menu if session.language else flows.navigation.start


def _start(
    flows: Flows,
    session: Session,
    payload: str | None,
    context: StepContext,
    suggested: str | None = None,
) -> tuple[Session, Reply]:
    wanted = parse_payload(payload)
    if wanted.language and flows.language(wanted.language):
        session = replace(session, language=wanted.language)
    elif session.language is None and suggested and flows.language(suggested):
        # A guess from the device: speak it, but open on the language menu to confirm.
        chosen = replace(session, language=suggested, back=())
        return _go(flows, chosen, flows.navigation.start, context, remember=False)
    session = replace(session, back=())
    topic = NodeId(f"{wanted.topic}.start") if wanted.topic else None
    if topic in flows.nodes and topic is not None:
        session = replace(session, back=(flows.navigation.menu,))
        return _go(flows, session, topic, context, remember=False)
    target = flows.navigation.menu if session.language else flows.navigation.start
    return _go(flows, session, target, context, remember=False)


def _choose(
    flows: Flows, session: Session, event: Choose, context: StepContext
) -> tuple[Session | None, Reply]:
    option_id, origin = event.option_id, event.node
    node_id = _here(flows, session)
    if _stale(flows, session, node_id, event):
        return _show(flows, session, node_id, context)
    if _offered_by(flows, origin, option_id):
        node_id = NodeId(origin)  # type: ignore[arg-type]
    node = flows.node(node_id)
    if option_id.startswith(LANGUAGE_OPTION_PREFIX) and node.languages:
        code = option_id.removeprefix(LANGUAGE_OPTION_PREFIX)
        if flows.language(code):
            chosen = replace(session, language=code, node=node_id)
            return _go(flows, chosen, node.languages, context)
    option = flows.options_by_node[node_id].get(OptionId(option_id))
    if option is None or option.url is not None:
        return _show(flows, session, _here(flows, session), context)
    session = replace(session, node=node_id)
    previous = event.previous
    if option.action is Action.BACK and previous and _leads_to(flows, previous, node_id):
        return _go(flows, session, NodeId(previous), context, remember=False)
    after, reply = _follow(flows, session, option, context)
    shown = reply.node
    if shown is not None and _unstored_chain(flows, node_id, shown):
        reply = replace(reply, previous=node_id)
    return after, reply


def _unstored_chain(flows: Flows, origin: NodeId, target: NodeId) -> bool:
    """Both screens are never stored, in one flow: only the page can remember the way back."""
    first, second = flows.node(origin), flows.node(target)
    return not first.remember and not second.remember and first.flow == second.flow


def _leads_to(flows: Flows, previous: str, node_id: NodeId) -> bool:
    """Whether `previous` is a screen with a button to `node_id`, both never stored."""
    if previous not in flows.nodes:
        return False
    before = NodeId(previous)
    if not _unstored_chain(flows, before, node_id):
        return False
    return any(o.goto == node_id for o in flows.node(before).options)


def _stale(flows: Flows, session: Session, here: NodeId, event: Choose) -> bool:
    """Whether the tap was made on a screen that is no longer the current one."""
    if event.screen is not None and event.screen != session.screen:
        return True
    origin = event.node
    if origin is None or origin not in flows.nodes or origin == here:
        return False
    # An answer is stored as its anchor: a tap on it counts as made on the anchor.
    return public_node(flows, NodeId(origin)) != here


def _offered_by(flows: Flows, origin: str | None, option_id: str) -> bool:
    """Whether the button really was on `origin` (a node of an older message)."""
    if origin is None or origin not in flows.nodes:
        return False
    node = flows.node(NodeId(origin))
    if option_id.startswith(LANGUAGE_OPTION_PREFIX):
        return node.languages is not None
    return option_id in flows.options_by_node[node.id]


def _follow(
    flows: Flows, session: Session, option: Option, context: StepContext
) -> tuple[Session | None, Reply]:
    nav = flows.navigation
    if option.goto is not None:
        return _go(flows, session, option.goto, context)
    match option.action:
        case Action.BACK:
            return _back(flows, session, context)
        case Action.MENU:
            return _menu(flows, session, context)
        case Action.HOTLINE:
            return _go(flows, session, nav.hotline, context)
        case Action.EXIT:
            return None, _ending(flows, session, nav.exited, (Effect.QUICK_EXIT, Effect.FORGET))
        case Action.FORGET:
            return None, _ending(flows, session, nav.forgotten, (Effect.FORGET,))
    return _show(flows, session, _here(flows, session), context)


def _back(flows: Flows, session: Session, context: StepContext) -> tuple[Session, Reply]:
    if not session.back:
        return _menu(flows, session, context)
    *rest, previous = session.back
    return _go(flows, replace(session, back=tuple(rest)), previous, context, remember=False)


def _menu(flows: Flows, session: Session, context: StepContext) -> tuple[Session, Reply]:
    target = flows.navigation.menu if session.language else flows.navigation.start
    return _go(flows, session, target, context)


def _go(
    flows: Flows, session: Session, target: NodeId, context: StepContext, *, remember: bool = True
) -> tuple[Session, Reply]:
    back = session.back
    previous = session.node
    if remember and previous in flows.nodes and previous != target:
        node = flows.node(previous)  # type: ignore[arg-type]
        if not node.remember:
            previous = _anchor(flows, node)
        if not back or back[-1] != previous:
            back = (*back, previous)[-BACK_STACK_LIMIT:]  # type: ignore[assignment]
    topics = session.topics
    flow = target.split(".", 1)[0]
    if flow not in flows.navigation.not_topics and flow not in topics:
        topics = (*topics, flow)[-TOPIC_LIMIT:]
    screen = (session.screen + 1) % SCREEN_MODULO
    moved = replace(session, node=target, back=back, topics=topics, screen=screen)
    return _show(flows, moved, target, context)


def _show(
    flows: Flows,
    session: Session,
    node_id: NodeId,
    context: StepContext,
    notice: str | None = None,
) -> tuple[Session, Reply]:
    node = flows.node(node_id)
    session = replace(session, node=node_id if node.remember else _anchor(flows, node))
    language = session.language or SOURCE_LANGUAGE
    code, new_code = NO_CODE, False
    if node.handoff:
        # One code per session: a second visit shows the same code and tells staff nothing.
        new_code = session.handoff_code is None
        code = session.handoff_code or context.handoff_code
        session = replace(session, handoff_code=code)
    reply = _render(flows, node, language, code, session.topics, notify=new_code)
    reply = replace(reply, screen=session.screen)
    if notice is not None:
        key = flows.navigation.notices[notice]
        reply = replace(reply, notices=(flows.text(language, key).value, *reply.notices))
    return session, reply


def public_node(flows: Flows, node_id: NodeId | None) -> NodeId | None:
    """The node id that may be stored, logged or counted: answers map to their anchor."""
    if node_id is None or node_id not in flows.nodes:
        return node_id
    node = flows.node(node_id)
    return node.id if node.remember else _anchor(flows, node)


def _anchor(flows: Flows, node: Node) -> NodeId:
    """Where the session says it is while on a node that must not be stored (an answer)."""
    start = NodeId(f"{node.flow}.start")
    if start in flows.nodes and flows.node(start).remember:
        return start
    return flows.navigation.menu


def _ending(flows: Flows, session: Session, node_id: NodeId, effects: tuple[Effect, ...]) -> Reply:
    language = session.language or SOURCE_LANGUAGE
    reply = _render(flows, flows.node(node_id), language, NO_CODE, ())
    return replace(reply, effects=effects)


def _render(
    flows: Flows,
    node: Node,
    language: str,
    code: str,
    topics: tuple[str, ...],
    *,
    notify: bool = True,
) -> Reply:
    if node.handoff:  # the code and the topics are the session's own
        return _compose(flows, node, language, code, topics, notify=notify)
    key = (node.id, language)
    reply: Reply | None = flows.rendered.get(key)
    if reply is None:
        reply = flows.rendered[key] = _compose(flows, node, language, code, topics)
    return reply


def _compose(
    flows: Flows,
    node: Node,
    language: str,
    code: str,
    topics: tuple[str, ...],
    *,
    notify: bool = True,
) -> Reply:
    spoken = flows.language(language)
    direction = spoken.direction if spoken else "ltr"
    fallback = False
    texts: list[str] = []
    for key in node.say_keys:
        text = flows.text(language, key)
        fallback = fallback or text.fallback
        texts.append(text.value)
    buttons: list[Button] = []
    if node.languages:
        current_first = sorted(flows.languages, key=lambda lang: lang.code != language)
        buttons.extend(
            Button(f"{LANGUAGE_OPTION_PREFIX}{lang.code}", lang.name) for lang in current_first
        )
    for option in flows.options_by_node[node.id].values():
        label = flows.text(language, option.key)
        fallback = fallback or label.fallback
        buttons.append(Button(option.id, label.value, option.url))
    handoff = None
    effects: tuple[Effect, ...] = ()
    if node.handoff:
        shown = isolate(code) if direction == "rtl" else code
        texts = [t.replace("{handoff_code}", shown) for t in texts]
        if notify:
            handoff = Handoff(code=code, language=language, topics=topics)
            effects = (Effect.HANDOFF,)
    messages = [Message(text) for text in texts]
    messages[-1] = replace(messages[-1], buttons=tuple(buttons))
    notices: tuple[str, ...] = ()
    if fallback:
        notices = (flows.text(language, flows.navigation.notices["fallback"]).value,)
    return Reply(
        node=node.id,
        language=language,
        direction=direction,
        messages=tuple(messages),
        effects=effects,
        handoff=handoff,
        notices=notices,
        code=code if node.handoff else None,
    )
