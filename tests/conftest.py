"""Test configuration: Qt renders offscreen; the fixtures live in tests/helpers/fixtures.py."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.s3server"]
