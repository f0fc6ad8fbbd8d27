"""Bundled offline demo sites and the local server that serves them.

`newscrawl.demo.urdupoint` models a frozen copy of an UrduPoint-like English news site (invented texts, real
markup structure); `newscrawl.demo.server` serves it on 127.0.0.1 for tests and `make demo`.
"""
