"""A sandbox OpenID Connect provider (authorization code + PKCE, RS256 ID tokens) for Flightdeck's single sign-on."""
