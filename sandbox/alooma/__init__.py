"""Alooma emulator: the REST API of the alooma Python client (0.4.16) under /rest/ and /{account}/rest/."""
