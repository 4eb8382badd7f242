"""Policy rules: the YAML rule language, its checks, and evaluation (durable_rules or the reference evaluator)."""
