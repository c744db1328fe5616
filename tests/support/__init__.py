"""Test support shared by the test folders: the one loopback HTTP server."""
