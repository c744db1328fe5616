"""The ec2Query protocol's entry in PROTOCOL_MODULES (its class lives in ``_query``)."""

from __future__ import annotations

from ._query import Ec2QueryProtocol

__all__ = ["PROTOCOL"]

PROTOCOL = Ec2QueryProtocol
