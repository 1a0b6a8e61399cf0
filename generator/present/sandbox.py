"""Jinja's immutable sandbox with bounds on time and memory, for the templates a township writes (HTML and Word).

The sandbox keeps a template away from Python; it does not stop one from looping 10¹⁰ times or doubling a string
forty times. Here every loop iteration, call and filter spends from a budget per render, range() is short, and
every text a template makes is measured before it is made where Python would make it whole (``*``, ``~``, ``+``,
``%``, joins, padding, format widths, printing a list): a hostile template fails fast with one Chinese sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.runtime import markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from jinja2.visitor import NodeTransformer

from generator.read.inputs import MB

MAX_STEPS = 1_000_000  # loop iterations, calls and filters in one render (a real document needs some thousands)
MAX_RANGE = 10_000  # numbers in one range()
MAX_BITS = 4096  # an integer a template computes
STEPS = f"循环和调用超过 {MAX_STEPS} 次（多半是写错的循环，如 range 里再套 range），请改小或删去模板里的循环"
TOO_LONG = "生成的文字超过上限（多半是写错的循环或重复），请改小或删去模板里的循环和重复"
RANGE = f"range() 最多 {MAX_RANGE} 个数，请改小模板里的 range"
NUMBER = "算出的数太大，请检查模板里的算式"
DEEP = "宏或循环套用自己的层数太多，请检查模板里的宏和 recursive 循环"
# a width Python would allocate whole: %9999999s, {:>9999999}, a width taken from the arguments (* or {…})
_WIDE = re.compile(r"(?:%|:)[-+ #0<>^=,._]*(?:\*|\{|\d{5,})")
_COUNTED, _JOINED, _SHOWN = "_jf_counted", "_jf_joined", "_jf_shown"


class Overrun(TemplateError):
    """A template went past a bound; the message says which, in Chinese."""


class _Bounding(NodeTransformer):
    """Routes what the sandbox never sees through the environment: for loops, ``~`` and printed values."""

    @staticmethod
    def _wrap(node: nodes.Expr, name: str) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = self._wrap(node.iter, _COUNTED)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return self._wrap(nodes.List(node.nodes, lineno=node.lineno), _JOINED)

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        self.generic_visit(node)
        node.nodes = [n if isinstance(n, nodes.TemplateData) else self._wrap(n, _SHOWN) for n in node.nodes]
        return node


class _BoundedTemplate(Template):
    """A template whose every render starts a fresh budget (a batch renders one template many times)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env: BoundedSandbox = self.environment  # type: ignore[assignment]
        env.steps, env.weights = 0, {}
        try:
            return super().render(*args, **kwargs)
        except RecursionError:
            raise Overrun(DEEP) from None
        finally:
            env.weights = {}


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, autoescaping and strict, with a budget per render and max_text characters of text."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, max_text: int) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.max_text = max_text
        self.steps = 0
        self.weights: dict[int, tuple[object, int]] = {}
        self.template_class = _BoundedTemplate
        self.globals.pop("lipsum", None)  # paragraphs of filler text on demand: nothing a document needs
        self.globals["range"] = self.bounded_range
        self.filters = {name: self._bounded(func, name) for name, func in self.filters.items()}
        self.filters |= {_COUNTED: self.counted, _JOINED: self.joined, _SHOWN: self.shown}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Bounding().visit(super()._parse(source, name, filename))

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Overrun(STEPS)

    def bounded_range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise Overrun(RANGE)
        return numbers

    def counted(self, iterable: Iterable) -> Iterator:
        for item in iterable:
            self.tick()
            yield item

    def metered(self, items: Iterator) -> Iterator:
        """A lazy sequence's items (map, select …), counted and weighed as they come."""
        total = 0
        for item in items:
            self.tick()
            total += self.weight(item)
            self.within(total)
            yield item

    def _gathered(self, args: tuple) -> tuple:
        """Lazy arguments gathered into lists, within the bounds, so what they hold can be measured."""
        return tuple(list(self.metered(v)) if isinstance(v, Iterator) else v for v in args)

    def joined(self, values: list) -> str:
        self.within(sum(self.weight(v) for v in values))
        return markup_join(values)

    def shown(self, value: Any) -> Any:
        self.within(self.weight(value))
        return value

    def within(self, size: int) -> None:
        if size > self.max_text:
            raise Overrun(TOO_LONG)

    def weight(self, value: Any) -> int:
        """About how many characters value prints as (its containers' contents included), at most once per object."""
        if isinstance(value, str):
            return len(value)
        if isinstance(value, Namespace):
            value = value._Namespace__attrs  # type: ignore[attr-defined]
        if not isinstance(value, (list, tuple, dict, set, frozenset)):
            return 1
        known = self.weights.get(id(value))
        if known is not None:
            return known[1]
        self.weights[id(value)] = (value, 0)  # a container holding itself (through a namespace) adds nothing again
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        total = len(value) + sum(self.weight(v) for v in items)
        self.weights[id(value)] = (value, total)  # the object is kept, so its id names it until the render ends
        return total

    def concat(self, chunks: Iterable[str]) -> str:  # type: ignore[override]
        """Every buffer a template joins (the document, a macro, a {% set %} block), measured as it grows."""
        parts, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > self.max_text:
                raise Overrun(TOO_LONG)
            parts.append(chunk)
        return "".join(parts)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - as in Jinja
        __self.tick()
        args = __self._gathered(args)
        target = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, str):
            __self.within(_estimate(name, target, args, kwargs, __self.weight))
        __self.within(sum(__self.weight(v) for v in (*args, *kwargs.values())))
        return __self.shown(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if isinstance(left, int) and isinstance(right, int):
            bits = {"*": abs(left).bit_length() + abs(right).bit_length(), "+": 0,
                    "**": abs(left).bit_length() * abs(right), "%": 0}[operator]
            if bits > MAX_BITS:
                raise Overrun(NUMBER)
        elif operator == "*":
            sequence, times = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(times, int):
                self.within(self.weight(sequence) * times)
        elif operator == "+":
            self.within(self.weight(left) + self.weight(right))
        elif operator == "%" and isinstance(left, str):
            self.within(_estimate("format", left, right if isinstance(right, tuple) else (right,), {}, self.weight))
        return self.shown(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        @functools.wraps(wrapped)
        def measured(*args: Any, **kwargs: Any) -> str:
            self.within(_estimate("format", value.__self__, args, kwargs, self.weight))
            return wrapped(*args, **kwargs)

        return measured

    def _bounded(self, func: Callable, name: str) -> Callable:
        """A filter spending from the budget, refusing what would make too much text."""
        first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # context or eval context comes first

        @functools.wraps(func)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            args = args[:first] + self._gathered(args[first:])
            value, rest = (args[first], args[first + 1:]) if len(args) > first else ("", ())
            self.within(_estimate(name, value, rest, kwargs, self.weight))
            self.within(sum(self.weight(v) for v in (*args[first:], *kwargs.values())))
            return self.shown(func(*args, **kwargs))

        return bounded


def _estimate(name: str, target: Any, args: tuple, kwargs: dict, weight: Callable[[Any], int]) -> int:
    """An upper bound on the text a padding, joining, replacing or formatting function makes (0 for others)."""
    numbers = [v for v in (*args, *kwargs.values()) if isinstance(v, int) and not isinstance(v, bool)]
    texts = [v for v in (*args, *kwargs.values()) if isinstance(v, str)]
    widest, longest, size = max(numbers, default=0), max(map(len, texts), default=1), weight(target)
    if name in {"center", "ljust", "rjust", "zfill", "truncate", "batch", "slice"}:
        return size + widest + longest
    if name in {"expandtabs", "indent", "wordwrap"}:
        return size * (1 + max(widest, longest, 8)) + widest
    if name == "replace":
        return (size + 1) * longest + size
    if name == "join":  # sep.join(items), or items|join(sep)
        items, sep = (args[0] if args else (), target) if isinstance(target, str) else (target, texts[0] if texts else "")
        count = len(items) if hasattr(items, "__len__") else 0
        return weight(items) + count * len(sep)
    if name in {"format", "format_map"} and isinstance(target, str):  # str.format may repeat an argument: {0}{0}{0}
        return 1 << 62 if _WIDE.search(target) else (len(target) + 1) * (weight(args) + weight(kwargs) + 1)
    return 0
