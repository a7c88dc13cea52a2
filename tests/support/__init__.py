"""Helpers shared by the test packages. Fixtures stay in conftest modules; everything a test
imports by name lives here."""
