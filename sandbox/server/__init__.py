"""The Alteryx Server emulator (Gallery API v1 with OAuth1, Server API v3 with OAuth2): models.py holds state."""
