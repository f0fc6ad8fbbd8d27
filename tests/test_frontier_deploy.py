"""deploy/docker-compose.yml (no Docker engine here: read as YAML and checked for its parts) and
docs/scale-out.md in step with the frontier's settings."""

import re

import yaml

from conftest import REPO


def compose():
    return yaml.safe_load((REPO / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_redis_with_aof_postgres_with_a_volume_and_scrapyd_workers():
    services = compose()["services"]
    assert set(services) == {"redis", "postgres", "scrapyd"}
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "ports" not in redis   # pickled requests: never published
    postgres = services["postgres"]
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    workers = services["scrapyd"]
    assert workers["deploy"]["replicas"] >= 2
    assert {name: spec["condition"] for name, spec in workers["depends_on"].items()} == \
        {"redis": "service_healthy", "postgres": "service_healthy"}
    assert workers["environment"]["NEWSCRAWL_FRONTIER"].startswith("redis://")
    named = set(compose()["volumes"])
    for service in services.values():
        for volume in service.get("volumes", ()):
            assert volume.split(":")[0] in named


def test_compose_holds_no_secret():
    """Passwords are ${VARIABLES} from deploy/.env, never values."""
    services = compose()["services"]
    command = services["redis"]["command"]
    assert command[command.index("--requirepass") + 1].startswith("${REDIS_PASSWORD")
    for service in services.values():
        for name, value in (service.get("environment") or {}).items():
            if "PASSWORD" in name:
                assert re.fullmatch(r"\$\{\w+(:\?[^}]*)?\}", value), (name, value)
    assert services["scrapyd"]["environment"]["NEWSCRAWL_FRONTIER"] == "redis://:${REDIS_PASSWORD}@redis:6379/0"


def test_scale_out_doc_lists_every_frontier_setting():
    from newscrawl.frontier import config

    doc = (REPO / "docs" / "scale-out.md").read_text(encoding="utf-8")
    source = (REPO / "newscrawl" / "frontier" / "config.py").read_text(encoding="utf-8") + \
        (REPO / "newscrawl" / "frontier" / "scheduler.py").read_text(encoding="utf-8")
    settings = set(re.findall(r'"(NEWSCRAWL_FRONTIER\w*)"', source))
    assert len(settings) >= 8, settings
    documented = set(re.findall(r"^\| `(NEWSCRAWL_FRONTIER\w*)` \|", doc, re.M))
    assert documented == settings
    assert config.SCHEMES == ("redis", "rediss", "unix")
