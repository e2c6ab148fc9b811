"""Pure algorithms: no I/O, no configuration, each testable on its own."""
