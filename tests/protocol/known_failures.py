"""Cases of the official awsJson1_1 suite the project cannot pass yet:
``<kind>:<case id>`` -> why.

Each entry names the component at fault (generator or runtime) and what is
wrong. The cases still run, as strict xfails: one that starts passing fails
the run until its entry is removed here, and none is ever counted as passed.
Other suites keep their entries in their own module (``test_<suite>_cases.py``).
"""

from __future__ import annotations

KNOWN_FAILURES: dict[str, str] = {}
