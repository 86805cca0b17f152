"""Plain, Dagster-free logic of the monthly S&OP run; `assets/` wraps it for Dagster."""
