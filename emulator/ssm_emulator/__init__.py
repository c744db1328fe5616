"""A local AWS Systems Manager inventory endpoint for development and tests."""
