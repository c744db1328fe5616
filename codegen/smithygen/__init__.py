"""smithygen: Smithy IDL loader and Python code generator (no JVM)."""
