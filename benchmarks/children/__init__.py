"""Scripts each benchmark runs in a fresh process, often under another Python.

They import nothing from fluent-ai or the benchmarks package (the torch comparison runs
in an environment that has neither), take their arguments on the command line and print
one JSON line of timings measured from the process's own start.
"""
