"""The generator's error root and the runtime's differ by more than case.

Here rather than in tests/runtime: the runtime tests also run on Python 3.11
(make test-matrix), where the generator is not installed.
"""

from __future__ import annotations


def test_the_generator_and_runtime_error_roots_differ_by_more_than_case() -> None:
    import smithygen.errors

    generator_roots = {
        name.lower() for name in dir(smithygen.errors) if name.endswith("Error")
    }
    assert "smithygenerror" not in generator_roots
    assert issubclass(smithygen.errors.GenerationError, smithygen.errors.CodegenError)
