"""Service customizations that no Smithy trait describes, keyed by shape id.

AWS SDKs carry a few per-operation behaviours in hand-written code rather
than in the models; the protocol test suite checks some of them. Each table
here names the operations that get one, so the emitters stay generic.
"""

from __future__ import annotations

from collections.abc import Mapping

# Operations whose request goes to a URL given in an input member instead of
# the client's endpoint (OperationSpec.endpoint_from_input). Amazon Machine
# Learning hands out a per-model endpoint that Predict must be sent to
# (protocol test MachinelearningPredictEndpoint, awsJson1_1).
ENDPOINT_FROM_INPUT: Mapping[str, str] = {
    "com.amazonaws.machinelearning#Predict": "PredictEndpoint",
}
