"""One router per area of the own API; `voliere.api.main` mounts them."""
