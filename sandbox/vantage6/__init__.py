"""vantage6 emulator: a 4.15.2 server under /api (with a switchable 5.0.3 mode and a Keycloak-like token host)."""
