"""BE022: an lxml parse with a parser that does not resolve entities is the advised fix.

Real apps build the hardened parser inline, keep it in a module constant, or return it
from a small factory so every upload path shares one configuration. None of those parses
can expand an external entity; the default parser, or one that resolves entities, still can.
"""

from __future__ import annotations

from rule_helpers import run

DRF_UPLOAD = """\
from lxml import etree
from rest_framework.decorators import api_view
from rest_framework.response import Response

{setup}

@api_view(["POST"])
def upload_style(request):
    data = request.FILES["sld"].read()
    root = etree.fromstring(data{parser})
    return Response({{"root": root.tag}})
"""


def _findings(setup: str, parser: str) -> list[str]:
    source = DRF_UPLOAD.format(setup=setup, parser=parser)
    return [f.code for f in run("BE022", source, path="geonode/styles/api.py")]


def test_inline_parser_without_entity_resolution_is_not_reported() -> None:
    parser = ", parser=etree.XMLParser(resolve_entities=False, no_network=True)"
    assert _findings("", parser) == []


def test_module_level_hardened_parser_is_not_reported() -> None:
    setup = "SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False)"
    assert _findings(setup, ", SAFE_PARSER") == []


def test_parser_returned_by_a_factory_function_is_not_reported() -> None:
    setup = (
        "def _safe_xml_parser() -> etree.XMLParser:\n"
        "    return etree.XMLParser(\n"
        "        resolve_entities=False,\n"
        "        no_network=True,\n"
        "        huge_tree=False,\n"
        "    )"
    )
    assert _findings(setup, ", parser=_safe_xml_parser()") == []


def test_default_parser_is_still_reported() -> None:
    assert _findings("", "") == ["BE022"]
    assert _findings("", ", parser=etree.XMLParser(remove_blank_text=True)") == ["BE022"]


def test_parser_that_resolves_entities_is_still_reported() -> None:
    setup = "LOOSE_PARSER = etree.XMLParser(resolve_entities=True)"
    assert _findings(setup, ", parser=LOOSE_PARSER") == ["BE022"]
    factory = "def make_parser():\n    return etree.XMLParser(dtd_validation=True)"
    assert _findings(factory, ", parser=make_parser()") == ["BE022"]
