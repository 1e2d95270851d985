"""Model data generated from the aichat catalogue, one module per provider.

Rewritten by ``fluent-ai models sync``; the registry imports a module the first time a
model of its provider is asked for.
"""
