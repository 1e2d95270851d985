"""Model data generated from LiteLLM's model catalogue, one module per provider.

Rewritten by ``fluent-ai models sync``; the registry reads a module the first time a
model of its provider is asked for.
"""
