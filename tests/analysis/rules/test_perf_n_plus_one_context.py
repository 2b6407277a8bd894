"""BE004: loops that look like N+1 but run each query once, or whose rows are already loaded."""

from __future__ import annotations

from perf_helpers import flagged, run

MODELS = """
from django.db import models


class Question(models.Model):
    identifier = models.CharField(max_length=50)


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    position = models.ForeignKey("Position", related_name="answers", on_delete=models.CASCADE)


class Position(models.Model):
    code = models.CharField(max_length=20)
"""


def _flagged(source: str) -> list[str]:
    return [flagged(f, source) for f in run("BE004", source)]


def test_multi_hop_prefetch_on_the_outer_queryset_covers_the_inner_loop() -> None:
    source = (
        MODELS
        + """
def export(event):
    for pos in Position.objects.filter(event=event).prefetch_related("answers__question"):
        for answer in pos.answers.all():
            print(answer.question.identifier)
"""
    )
    assert _flagged(source) == []


def test_outer_prefetch_of_another_path_leaves_the_inner_n_plus_one() -> None:
    source = (
        MODELS
        + """
def export(event):
    for pos in Position.objects.filter(event=event).prefetch_related("answers"):
        for answer in pos.answers.all():
            print(answer.question.identifier)
"""
    )
    assert _flagged(source) == ["answer.question"]


def test_prefetch_related_objects_before_the_loop() -> None:
    source = (
        MODELS
        + """
def export(positions):
    prefetch_related_objects(positions, "answers__question")
    for pos in positions:
        for answer in pos.answers.all():
            print(answer.question.identifier)
"""
    )
    assert _flagged(source) == []


def test_query_in_a_branch_that_returns_runs_at_most_once() -> None:
    source = (
        MODELS
        + """
def first_paid(codes):
    for code in codes:
        if code.startswith("P"):
            position = Position.objects.get(code=code)
            return position
    return None
"""
    )
    assert _flagged(source) == []


def test_query_in_a_branch_that_only_breaks_an_inner_loop_still_repeats() -> None:
    source = (
        MODELS
        + """
def matches(codes, names):
    found = []
    for code in codes:
        for name in names:
            if name == code:
                found.append(Position.objects.get(code=code))
                break
    return found
"""
    )
    assert _flagged(source) == ["Position.objects.get(code=code)"]


def test_memoised_per_key_is_one_query_per_distinct_key() -> None:
    source = (
        MODELS
        + """
def questions_for(answers_data):
    cache = {}
    for data in answers_data:
        if data["identifier"] not in cache:
            cache[data["identifier"]] = Question.objects.get(identifier=data["identifier"])
    return cache
"""
    )
    assert _flagged(source) == []


def test_loop_over_batches_is_the_batching() -> None:
    source = (
        MODELS
        + """
def delete_positions(ids):
    for batch in chunked(ids, 500):
        Position.objects.filter(pk__in=batch).delete()
    for start in range(0, len(ids), 1000):
        Position.objects.filter(pk__in=ids[start:start + 1000]).delete()
"""
    )
    assert _flagged(source) == []


def test_module_level_and_start_up_loops_run_once_per_process() -> None:
    source = (
        MODELS
        + """
for identifier in DEFAULT_QUESTIONS:
    Question.objects.get_or_create(identifier=identifier)


class ShopConfig(AppConfig):
    def ready(self):
        for identifier in DEFAULT_QUESTIONS:
            Question.objects.get_or_create(identifier=identifier)
"""
    )
    assert _flagged(source) == []


def test_plain_per_item_query_in_a_request_path_is_still_reported() -> None:
    source = (
        MODELS
        + """
def answers_view(request, codes):
    return [Position.objects.get(code=code) for code in codes]
"""
    )
    assert _flagged(source) == ["Position.objects.get(code=code)"]


def test_one_statement_per_table_of_a_fixed_set_is_not_per_row() -> None:
    source = (
        MODELS
        + """
CASCADE_MODELS = (Answer, Position)


def purge(run_id, session):
    for model in CASCADE_MODELS:
        session.query(model).filter(model.run_id == run_id).delete()
    for model in (Answer, Question):
        session.query(model).filter(model.run_id == run_id).delete()
    for row_id in session.ids:
        session.query(Answer).filter(Answer.id == row_id).delete()
"""
    )
    assert _flagged(source) == ["session.query(Answer).filter(Answer.id == row_id).delete()"]
