"""The demo company "Acme", seeded by `voliere demo` (see `voliere.demo.seed`)."""
