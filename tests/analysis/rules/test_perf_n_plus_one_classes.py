"""BE004: per-item statements that are the design (locks, batches, inserts of payload items)
and the N+1 shapes that hide behind helpers, prefetch calls and models in other modules."""

from __future__ import annotations

import textwrap
from pathlib import Path

from perf_helpers import flagged, run

from backend_lsp.analysis.schema_discovery import discover_schema


def _flagged(source: str, path: str = "shop/services.py") -> list[str]:
    return [flagged(f, source) for f in run("BE004", source, path)]


def test_row_lock_per_item_is_the_locking_protocol() -> None:
    source = """
from django.db import transaction


def expire_orders(order_ids):
    for order_id in order_ids:
        with transaction.atomic():
            order = Order.objects.select_for_update(nowait=True).get(pk=order_id)
            order.expire()


def next_free_task(session, candidates):
    for task_id in candidates:
        task = (
            session.query(Task).filter(Task.id == task_id).with_for_update(skip_locked=True).first()
        )
        if task is not None:
            return task


def reload_each(order_ids):
    return [Order.objects.get(pk=order_id) for order_id in order_ids]
"""
    assert _flagged(source) == ["Order.objects.get(pk=order_id)"]


def test_one_set_based_statement_per_iteration_is_the_batching() -> None:
    source = """
def purge(groups):
    for owner, rows in groups.items():
        QueuedSync.objects.filter(pk__in=[r.pk for r in rows]).delete()


def purge_sa(session, id_groups):
    for ids in id_groups:
        session.query(Run).filter(Run.id.in_(ids)).delete()


def purge_each(session, run_ids):
    for run_id in run_ids:
        session.query(Run).filter(Run.id == run_id).delete()
"""
    assert _flagged(source) == ["session.query(Run).filter(Run.id == run_id).delete()"]


def test_executing_each_statement_of_a_script_is_the_work() -> None:
    source = """
def run_script(connection, script):
    cursor = connection.cursor()
    for statement in script.statements:
        sql = statement.format(strip_comments=True)
        cursor.execute(sql)


def touch_rows(connection, rows):
    cursor = connection.cursor()
    for row in rows:
        cursor.execute("UPDATE item SET seen = true WHERE id = %s", [row.id])
"""
    assert _flagged(source) == [
        'cursor.execute("UPDATE item SET seen = true WHERE id = %s", [row.id])'
    ]


def test_insert_per_payload_item_is_the_unit_of_work() -> None:
    source = """
from rest_framework import serializers


class ItemSerializer(serializers.ModelSerializer):
    def create(self, validated_data):
        variations = validated_data.pop("variations")
        item = Item.objects.create(**validated_data)
        for variation in variations:
            ItemVariation.objects.create(item=item, **variation)
        for name, value in validated_data.get("meta", {}).items():
            ItemMeta.objects.update_or_create(item=item, name=name, defaults={"value": value})
        return item


def store_rates(session, feed):
    for rate in feed["rates"]:
        session.execute(insert(Rate).values(currency=rate["code"], value=rate["value"]))


def exit_everyone(checkin_list):
    for position in Position.objects.filter(list=checkin_list):
        Checkin.objects.create(position=position, list=checkin_list, type="exit")
"""
    assert _flagged(source) == [
        'Checkin.objects.create(position=position, list=checkin_list, type="exit")'
    ]


def test_one_statement_per_enum_member_or_per_table() -> None:
    source = """
def create_type_tags(session):
    for name in ObjectType.__members__:
        session.execute(delete(Tag).where(Tag.name == name))


def tables_exist(session, models):
    return [session.query(literal(1)).select_from(model).first() for model in models]


def rename_children(connection, spec):
    for child in spec.child_tables:
        connection.execute(update(child).values(workspace="new"))
"""
    assert _flagged(source) == []


def test_related_manager_read_per_item_inside_a_loop_over_a_queryset() -> None:
    source = """
from shop.models import Order


def invoice_totals(event):
    totals = {}
    for order in Order.objects.filter(event=event):
        totals[order.code] = sum(line.price for line in order.lines.all())
        totals[order.code + "-n"] = order.lines.count()
        totals[order.code + "-open"] = order.lines.filter(paid=False).exists()
    return totals


def word_counts(texts):
    return [text.words.count("a") for text in texts]
"""
    found = _flagged(source)
    assert found == ["order.lines"]  # one finding per relation, at its first use
    assert "prefetch_related" in run("BE004", source, "shop/services.py")[0].message


def test_prefetch_related_objects_once_per_item() -> None:
    source = """
from django.db.models import prefetch_related_objects


def render(orders):
    for order in orders:
        prefetch_related_objects([order], "lines__product")
        yield order


def render_all(orders):
    prefetch_related_objects(orders, "lines__product")
    for order in orders:
        yield order
"""
    assert _flagged(source) == ['prefetch_related_objects([order], "lines__product")']


MODELS = """
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=80)


class Order(models.Model):
    code = models.CharField(max_length=16)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    price = models.DecimalField(max_digits=10, decimal_places=2)
"""


def test_helper_iterating_rows_annotated_by_model_touches_relations() -> None:
    source = (
        MODELS
        + """
from collections.abc import Iterable

from django.db.models import QuerySet


def label_rows(orders: QuerySet[Order]) -> list[str]:
    return [f"{order.code}: {order.customer.name}" for order in orders]


def line_counts(orders: Iterable["Order"]) -> dict[str, int]:
    return {order.code: order.lines.count() for order in orders}


def codes(orders: list[Order]) -> list[str]:
    return [order.code for order in orders]


def rebound(orders: list[Order]) -> list[str]:
    orders = Order.objects.select_related("customer")
    return [order.customer.name for order in orders]
"""
    )
    findings = run("BE004", source, "shop/services.py")
    assert [flagged(f, source) for f in findings] == ["order.customer", "order.lines"]
    assert all(f.fix is None for f in findings)  # the query to fix is the caller's
    assert "passed in by the caller" in findings[0].message


def test_models_defined_in_another_module_of_the_workspace(tmp_path: Path) -> None:
    models = tmp_path / "shop" / "models.py"
    models.parent.mkdir()
    models.write_text(textwrap.dedent(MODELS), encoding="utf-8")
    services = """
from shop.models import Order


def customer_names(event):
    return [order.customer.name for order in Order.objects.filter(event=event)]


def line_counts(event):
    return {o.code: o.lines.count() for o in Order.objects.filter(event=event)}


def eager(event):
    qs = Order.objects.filter(event=event).select_related("customer")
    return [order.customer.name for order in qs]
"""
    known = discover_schema([models])
    findings = run("BE004", services, "shop/services.py", known)
    assert [flagged(f, services) for f in findings] == ["order.customer", "o.lines"]
    # without the workspace schema the FK read is indistinguishable from a column
    assert _flagged(services) == ["o.lines"]


def test_atomic_counter_update_per_item_is_deliberate() -> None:
    source = """
from django.db.models import F


def redeem(order):
    for position in order.positions.all():
        if position.voucher_id:
            Voucher.objects.filter(pk=position.voucher_id).update(redeemed=F("redeemed") + 1)


def mark_seen(order):
    for position in order.positions.all():
        Voucher.objects.filter(pk=position.voucher_id).update(seen=True)
"""
    assert _flagged(source) == ["Voucher.objects.filter(pk=position.voucher_id).update(seen=True)"]


def test_copying_an_object_graph_is_a_one_off_action() -> None:
    source = """
def copy_data_from(event, other):
    for value in EventMetaValue.objects.filter(event=other):
        prop = event.organizer.meta_properties.get(name=value.property.name)
        EventMetaValue.objects.create(event=event, property=prop, value=value.value)


def export_meta(other):
    return [value.property.name for value in EventMetaValue.objects.filter(event=other)]
"""
    known_relations = (
        MODELS
        + """
class EventMetaValue(models.Model):
    property = models.ForeignKey("EventMetaProperty", on_delete=models.CASCADE)
"""
    )
    assert _flagged(known_relations + source) == ["value.property"]


def test_a_formsets_forms_are_bounded_by_its_max_num() -> None:
    source = """
class AddPositionsView(View):
    def post(self, request):
        for form in self.add_position_formset.forms:
            item = Item.objects.get(pk=form.cleaned_data["itemvar"], event=request.event)
            form.instance.item = item
        for item_id in request.POST.getlist("item"):
            Item.objects.get(pk=item_id, event=request.event).touch()
"""
    assert _flagged(source) == ["Item.objects.get(pk=item_id, event=request.event)"]


def test_loop_over_entries_written_in_the_code_is_not_per_row() -> None:
    source = """
from django.db.models import Max


def fetch_rates(sender, **kwargs):
    source_tasks = {
        "eu:ecb:daily": fetch_ecb_rates,
        "cz:cnb:daily": fetch_cnb_rates,
    }
    for source_name, task in source_tasks.items():
        latest = ExchangeRate.objects.filter(source=source_name).aggregate(m=Max("updated"))["m"]
        if latest is None:
            task.apply_async()


def sync_sources(sender, **kwargs):
    sources = ["ecb", "cnb"]
    sources.extend(Source.objects.values_list("name", flat=True))
    for name in sources:
        ExchangeRate.objects.filter(source=name).delete()


def rates_for(codes):
    wanted = {code: code.upper() for code in codes}
    for code in wanted:
        ExchangeRate.objects.filter(currency=code).first()
"""
    assert _flagged(source) == [
        "ExchangeRate.objects.filter(source=name).delete()",
        "ExchangeRate.objects.filter(currency=code).first()",
    ]


def test_one_lookup_per_signal_receiver_is_per_installed_plugin() -> None:
    source = """
from shop.signals import register_ticket_outputs


def get_tickets(order, positions):
    providers = [
        response(order.event) for receiver, response in register_ticket_outputs.send(order.event)
    ]
    tickets = []
    for provider in providers:
        cached = CachedTicket.objects.filter(order=order, provider=provider.identifier).last()
        tickets.append(cached)
        for position in positions:
            tickets.append(CachedTicket.objects.filter(position=position).last())
    for receiver, response in order_placed.send(sender=order.event, order=order):
        AuditLog.objects.create(order=order, plugin=str(receiver))
    return tickets


def notify(order, subscribers):
    for subscriber in subscribers:
        Notification.objects.filter(user=subscriber).first()
"""
    assert _flagged(source) == [
        "CachedTicket.objects.filter(position=position).last()",
        "Notification.objects.filter(user=subscriber).first()",
    ]


def test_prefetch_on_a_helper_queryset_covers_the_nested_loops() -> None:
    source = """
from django.db import models


class Question(models.Model):
    type = models.CharField(max_length=1)


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, related_name="options", on_delete=models.CASCADE)


class OrderPosition(models.Model):
    positionid = models.IntegerField()


class QuestionAnswer(models.Model):
    position = models.ForeignKey(OrderPosition, related_name="answers", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    options = models.ManyToManyField(QuestionOption)


class OrderListExporter:
    def positions_qs(self, form_data):
        return OrderPosition.objects.filter(order__event__in=self.events)

    def iterate_positions(self, form_data):
        base_qs = self.positions_qs(form_data)
        qs = base_qs.select_related("order", "item").prefetch_related(
            "answers", "answers__question", "answers__options"
        )
        for ids in chunked_iterable(list(base_qs.values_list("pk", flat=True)), 1000):
            ops = sorted(qs.filter(id__in=ids), key=lambda k: ids.index(k.pk))
            for op in ops:
                for a in op.answers.all():
                    if a.question.type == "M":
                        yield {o.pk for o in a.options.all()}

    def iterate_without_prefetch(self, form_data):
        qs = self.positions_qs(form_data).select_related("order")
        for ids in chunked_iterable(list(qs.values_list("pk", flat=True)), 1000):
            for op in qs.filter(id__in=ids):
                for a in op.answers.all():
                    yield a.question.type
"""
    assert _flagged(source) == ["a.question"]


def test_data_migration_job_in_an_app_module_runs_once_per_deploy() -> None:
    source = """
from projects.models import Project
from tasks.models import AsyncMigrationStatus, Prediction


def fill_predictions_project(migration_name: str = "0043_auto_20230825"):
    for project_id in Project.objects.values_list("id", flat=True):
        status = AsyncMigrationStatus.objects.create(project_id=project_id, name=migration_name)
        status.meta = {"total": Prediction.objects.filter(project_id=project_id).count()}
        status.save()


def project_prediction_counts(organization):
    ids = Project.objects.filter(organization=organization).values_list("id", flat=True)
    return {
        project_id: Prediction.objects.filter(project_id=project_id).count() for project_id in ids
    }
"""
    assert _flagged(source) == ["Prediction.objects.filter(project_id=project_id).count()"]


def test_insert_per_row_that_skips_duplicates_is_one_row_per_statement_on_purpose() -> None:
    source = """
import contextlib

from django.db import IntegrityError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as SAIntegrityError


def add_owner_tags(session, users, tag):
    insert = tag.insert()
    for (user_id,) in session.execute(select(users.c.id)):
        with contextlib.suppress(SAIntegrityError):
            session.execute(insert, name=f"owner:{user_id}")


def subscribe_all(newsletter):
    for user in User.objects.filter(is_active=True):
        try:
            Subscription.objects.create(user=user, newsletter=newsletter)
        except IntegrityError:
            continue


def subscribe_all_blindly(newsletter):
    for user in User.objects.filter(is_active=True):
        try:
            Subscription.objects.create(user=user, newsletter=newsletter)
        except ValueError:
            continue
"""
    assert _flagged(source) == ["Subscription.objects.create(user=user, newsletter=newsletter)"]


def test_branch_that_tested_the_prefetch_cache_reads_prefetched_rows() -> None:
    source = """
from django.db import models


class Answer(models.Model):
    position = models.ForeignKey("Position", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("Question", on_delete=models.CASCADE)


def answer_for(position, identifier):
    if "answers" in getattr(position, "_prefetched_objects_cache", {}):
        matches = [a for a in position.answers.all() if a.question.identifier == identifier]
        return matches[0] if matches else None
    return position.answers.filter(question__identifier=identifier).first()


def answers_text(position):
    return [a.question.identifier for a in position.answers.all()]
"""
    assert _flagged(source) == ["a.question"]


def test_lookup_only_for_an_item_that_is_not_an_instance_yet() -> None:
    source = """
from shop.models import Attachment


def attach(message, attachments):
    for attachment in attachments:
        if not isinstance(attachment, Attachment):
            attachment = Attachment.objects.get(pk=attachment)
        message.attachments.add(attachment)


def attach_ids(message, attachment_ids):
    for pk in attachment_ids:
        message.attachments.add(Attachment.objects.get(pk=pk))
"""
    assert _flagged(source) == ["Attachment.objects.get(pk=pk)"]


def test_a_lookup_per_key_of_an_in_memory_collection_is_flagged() -> None:
    source = """
def dashboards(session, dashboard_ids: set[int]):
    return [session.query(Dashboard).filter(Dashboard.id == d).one() for d in dashboard_ids]


def owners(filters: dict[str, dict]):
    found = []
    for filter_id, columns in filters.items():
        found.append(Slice.objects.get(pk=filter_id))
    return found


def touch(cursor, rows):
    for row in rows:
        cursor.execute("UPDATE item SET seen = true WHERE id = %s", (row.id,))


def move_annotations(tasks):
    for task in tasks:
        Task.objects.get(id=task["id"]).annotations.update(done=True)
"""
    assert _flagged(source) == [
        "session.query(Dashboard).filter(Dashboard.id == d).one()",
        "Slice.objects.get(pk=filter_id)",
        'cursor.execute("UPDATE item SET seen = true WHERE id = %s", (row.id,))',
        'Task.objects.get(id=task["id"]).annotations.update(done=True)',
    ]


def test_processing_structured_in_memory_items_is_not_an_n_plus_one() -> None:
    # Forms, payment requests and config entries: a query fed from their other fields is a
    # step of processing each object, and the code does not show how many there are.
    source = """
def apply_payments(payment_requests: list[dict]):
    cards = []
    for request in payment_requests:
        if request["provider"] == "giftcard":
            cards.append(GiftCard.objects.get(pk=request["info"]["card"]))
    return cards


class ChangeForm:
    def save(self):
        for position in self.positions:
            item_id = position.form.cleaned_data["item"]
            item = Item.objects.get(pk=item_id, event=self.event)
            position.change(item)


def import_configs(session, configs: dict[str, dict]):
    for file_name, config in configs.items():
        database = session.query(Database).filter_by(name=config["database"]).one()
        database.import_from(config)
"""
    assert _flagged(source) == []


def test_rows_of_a_query_keep_every_per_row_query() -> None:
    source = """
def stamp(session):
    for run in session.scalars(select(Run)):
        session.execute(update(Log).where(Log.run_id == run.id).values(seen=True))
        session.execute(update(Stats).values(runs=Stats.runs + 1))


def recount():
    for event in Event.objects.filter(active=True):
        Ticket.objects.filter(event__organizer=event.organizer).count()
"""
    assert len(_flagged(source)) == 3


def test_run_python_callable_outside_migrations_runs_once_per_deploy() -> None:
    source = """
from django.db import migrations


def backfill_thumbnail_specs(app_label, model_name):
    def forward(apps, schema_editor):
        Thumbnail = apps.get_model(app_label, model_name)
        Preset = apps.get_model("media", "Preset")
        alias = schema_editor.connection.alias
        for spec in Thumbnail.objects.using(alias).values_list("spec", flat=True).distinct():
            preset, _ = Preset.objects.using(alias).get_or_create(spec=spec)
            Thumbnail.objects.using(alias).filter(spec=spec).update(preset=preset)

    return forward, migrations.RunPython.noop


def thumbnails_by_spec(specs):
    return {spec: Thumbnail.objects.filter(spec=spec).count() for spec in specs}
"""
    assert _flagged(source, "media/utils.py") == ["Thumbnail.objects.filter(spec=spec).count()"]
