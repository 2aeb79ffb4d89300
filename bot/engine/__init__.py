"""The pure core: flow model, YAML loader, lint and `step()`.

Nothing here performs I/O, reads the clock or draws random numbers.
"""

from bot.engine.events import Back, Choose, Event, Exit, Forget, Menu, Start, Text
from bot.engine.load.loader import FlowError, load, load_dir
from bot.engine.model import Flows, Node, NodeId, Option, OptionId
from bot.engine.reply import Button, Effect, Message, Reply
from bot.engine.session import Session
from bot.engine.step import StepContext, render, step

__all__ = [
    "Back",
    "Button",
    "Choose",
    "Effect",
    "Event",
    "Exit",
    "FlowError",
    "Flows",
    "Forget",
    "Menu",
    "Message",
    "Node",
    "NodeId",
    "Option",
    "OptionId",
    "Reply",
    "Session",
    "Start",
    "StepContext",
    "Text",
    "load",
    "load_dir",
    "render",
    "step",
]
