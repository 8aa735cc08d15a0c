"""Schemathesis against the app in-process: every operation of the OpenAPI schema, with valid and invalid
inputs, bounded and derandomized, over a small fake-embedder index. No response may be a server error (5xx),
and every status must be one the schema documents.

A larger run: `python benchmarks/web_fuzz.py --examples 500`.
"""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error, status_code_conformance  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402

pytestmark = pytest.mark.fuzz
EXAMPLES = 25  # per operation and generation mode


def fuzz_schema(store, embedder, examples: int = EXAMPLES):
    """The app's schema loaded from the app itself (schemathesis calls it with Host: testserver)."""
    from search.web.app import create_app

    app = create_app(store, lambda: embedder, allowed_hosts=["testserver"])
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(modes=["positive", "negative"], max_examples=examples, deterministic=True,
                                    database="none")
    return schema


@pytest.fixture(scope="module")
def web_schema(tmp_path_factory):
    from search.evaluation.pool import pool

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-fuzz") / "idx", embedder, talking_points=True)
    pool(store, embedder, "trial", [("q1", "grain sanctions"), ("q2", "river dam")], depth=2)
    yield fuzz_schema(store, embedder)
    store.close()


def fuzz_operation(operation, mode: str, examples: int) -> tuple[int, list[str]]:
    """Run `examples` generated cases of one operation; returns (cases run, failure descriptions)."""
    from schemathesis import GenerationMode

    ran, failures = [0], []

    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    def run(case):
        ran[0] += 1
        try:
            case.call_and_validate(checks=[not_a_server_error, status_code_conformance])
        except Exception as exc:  # noqa: BLE001 - collected and reported together below
            failures.append(f"{operation.label} [{mode}]: {type(exc).__name__}: {str(exc)[:1500]}")

    try:
        run()
    except Unsatisfiable:  # negative mode on an operation that takes no parameters: no invalid input exists
        assert mode == "negative" and ran[0] == 0, operation.label
    return ran[0], failures


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_server_errors(web_schema, mode):
    ran, failures, counts = 0, [], {}
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert len(operations) >= 9, [op.label for op in operations]
    for operation in operations:
        n, found = fuzz_operation(operation, mode, EXAMPLES)
        ran += n
        failures += found
        counts[operation.label] = n
    print(mode, counts)
    assert not failures, "\n\n".join(failures)
    assert ran >= len(operations) * 3  # cases really ran (hypothesis stops early only when an input space is tiny)
