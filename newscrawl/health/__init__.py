"""Crawl health: coverage per crawl, alarms against each site's history, spidermon's monitors.

coverage.py counts and compares (HealthExtension), history.py holds the pure rules, store.py
the SQL, monitors.py spidermon's suites, schema.py the Article's JSON schema, cli.py
`newscrawl health`.
"""
