"""Lets `scrapyd-deploy` build the egg scrapyd runs (it calls `python setup.py bdist_egg`).

Everything, package data included, is declared in pyproject.toml. Without this file
scrapyd-deploy writes its own setup.py, whose egg leaves newscrawl/demo/data/*.json out.
"""
from setuptools import setup

setup()
