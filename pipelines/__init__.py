"""Pipeline factories: wiring, fan-out, resources, retries and caching; compiled YAML beside them."""
