"""Typed command contracts: one spelling of runAction's arguments, field-naming errors."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types

from backend_lsp.lsp.contracts import RUN_ACTION, InvalidArguments, RunAction

URI = "file:///work/app/routes/orders.py"


def _range(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def test_run_action_round_trips_with_columns() -> None:
    run = RunAction(URI, 7, "optimize-query", _range(12, 8, 14, 31))
    args = run.to_arguments()
    assert args == [
        {
            "uri": URI,
            "version": 7,
            "action": "optimize-query",
            "range": {"start": {"line": 12, "character": 8}, "end": {"line": 14, "character": 31}},
        }
    ]
    assert RunAction.from_arguments(args) == run
    assert RunAction.from_arguments([args]) == run  # wrapped once more, as some clients do
    command = run.command("Optimise this query")
    assert command.command == RUN_ACTION and command.arguments == args


@pytest.mark.parametrize(
    ("rng", "lines"),
    [
        (_range(3, 0, 4, 0), (4, 4)),  # a whole line ends at column 0 of the next
        (_range(3, 4, 4, 2), (4, 5)),
        (_range(5, 2, 5, 2), (6, 6)),
    ],
)
def test_run_action_lines_are_one_based_and_inclusive(
    rng: types.Range, lines: tuple[int, int]
) -> None:
    assert RunAction(URI, None, "explain", rng).lines() == lines


def _args(**changes: Any) -> list[Any]:
    data: dict[str, Any] = RunAction(URI, 1, "explain", _range(1, 0, 2, 0)).to_json()
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return [data]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([], "expects one object"),
        (["not an object"], "expects one object"),
        (_args(uri=None), "'uri'"),
        (_args(uri=42), "'uri'"),
        (_args(action=""), "'action'"),
        (_args(version="3"), "'version'"),
        (_args(version=True), "'version'"),
        (_args(range=None), "'range'"),
        (_args(range={"start": {"line": 1, "character": 0}}), "'range.end'"),
        (
            _args(range={"start": {"line": 1}, "end": {"line": 2, "character": 0}}),
            "'range.start.character'",
        ),
        (
            _args(
                range={"start": {"line": -1, "character": 0}, "end": {"line": 2, "character": 0}}
            ),
            "'range.start'",
        ),
    ],
)
def test_bad_arguments_are_invalid_params_naming_the_field(args: list[Any], field: str) -> None:
    with pytest.raises(InvalidArguments) as raised:
        RunAction.from_arguments(args)
    assert raised.value.code == -32602  # JSON-RPC InvalidParams
    assert field in raised.value.message and RUN_ACTION in raised.value.message
