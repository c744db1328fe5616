"""smithygen: Smithy IDL loader and Python code generator (no JVM)."""

__version__ = "0.1.0"
