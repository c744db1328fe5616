"""The benchmark suite behind ``make bench``.

``python -m bench`` starts the canned loopback server (:mod:`bench.server`),
runs every contender's workloads in fresh processes (:mod:`bench.worker`),
alternating contenders round by round, times ``smithygen generate``
(:mod:`bench.codegen`) and writes ``bench/results.md`` and
``bench/results.png`` (:mod:`bench.report`).

Modules here import nothing heavy at package level: :mod:`bench.worker` runs
under other virtual environments (aiobotocore's and boto3's), where only the
standard library and the contender's own packages exist.
"""
