"""Build ONNX graphs from shipped weights and run them with ONNX Runtime, without torch.

The offline defaults (the local chat model and the local embedder) are not run by a
deep-learning framework: each is translated once, at first start, from the weights its
package ships into an ONNX graph, cached on disk, and run with ONNX Runtime. This package
holds what both translations share: a small graph builder (:mod:`.graph`), the build-once
cache (:mod:`.cache`) and the runtime session (:mod:`.session`). It depends on nothing
else of fluent-ai's but its error types; ``onnx`` and ``onnxruntime`` are imported by the
modules that need them, never by this one.
"""
