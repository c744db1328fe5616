"""Emitters: one function per generated module, each returning the module's text."""
