"""Modules only some clients need load on first use (start-up cost, bench/PROFILE.md).

Each case runs in a fresh interpreter: what an import loads depends on what
the process imported before.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# Modules of protocols and features an awsJson client without waiters,
# paginators, event streams or checksums never uses.
FEATURE_MODULES = (
    "_checksums",
    "_event_framing",
    "_event_stream",
    "_http_bindings",
    "_http_streaming",
    "_layout",
    "_pagination",
    "_query",
    "_rest_json",
    "_rest_xml",
    "_rpcv2_cbor",
    "_waiters",
    "_xml",
    "_xml_writer",
)


def _run(code: str) -> list[str]:
    """The lines a fresh interpreter prints running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def _loaded(modules: tuple[str, ...]) -> str:
    """Code printing which of ``modules`` (of smithygen_runtime) are loaded."""
    return (
        f"print(sorted(m for m in {modules!r}"
        " if 'smithygen_runtime.' + m in sys.modules))\n"
    )


def test_building_an_aws_json_client_loads_no_other_protocol_or_feature() -> None:
    code = (
        "import sys\n"
        "from tests.runtime.demo_service import DemoClient, CREDENTIALS\n"
        "DemoClient(region='us-east-1', endpoint_url='https://x.example',"
        " credentials=CREDENTIALS)\n"
        "print('smithygen_runtime._aws_json' in sys.modules)\n"
        + _loaded(FEATURE_MODULES)
    )
    assert _run(code) == ["True", "[]"]


def test_the_ssm_client_loads_its_waiters_and_paginators_and_nothing_else() -> None:
    code = "import sys\nfrom ssm_inventory import SSMClient\n" + _loaded(
        FEATURE_MODULES
    )
    assert _run(code) == ["['_pagination', '_waiters']"]


def test_a_feature_name_loads_its_module_on_first_use() -> None:
    code = (
        "import sys\n"
        "import smithygen_runtime\n"
        + _loaded(("_waiters",))
        + "spec = smithygen_runtime.WaiterSpec\n"
        "print(spec.__module__, 'WaiterSpec' in vars(smithygen_runtime))\n"
        + _loaded(("_waiters",))
        + "from smithygen_runtime import XmlStructure\n"
        "print(repr(XmlStructure))\n"
    )
    assert _run(code) == [
        "[]",
        "smithygen_runtime True",
        "['_waiters']",
        "<class 'smithygen_runtime.XmlStructure'>",
    ]


def test_names_of_a_module_loaded_through_another_show_the_package() -> None:
    # EventReader's module imports _event_framing, whose EventStreamError the
    # runtime raises: it names the package before anyone asks for it.
    code = (
        "import smithygen_runtime, sys\n"
        "smithygen_runtime.EventReader\n"
        "framing = sys.modules['smithygen_runtime._event_framing']\n"
        "print(framing.EventStreamError.__module__)\n"
    )
    assert _run(code) == ["smithygen_runtime"]


def test_lazy_names_are_listed_and_unknown_names_are_attribute_errors() -> None:
    import smithygen_runtime

    assert {"EventReader", "WaiterSpec", "XmlStructure", "paginate"} <= set(
        dir(smithygen_runtime)
    )
    missing = "NoSuchName"
    with pytest.raises(AttributeError) as raised:
        getattr(smithygen_runtime, missing)
    assert str(raised.value) == (
        "module 'smithygen_runtime' has no attribute 'NoSuchName'"
    )
