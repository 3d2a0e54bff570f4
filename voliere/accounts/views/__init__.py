"""Pages for signing in, settings, the profile header and the social graph."""
