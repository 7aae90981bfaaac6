"""Pure text helpers of the engine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import DamageFound
from app.core.sqltext import charset_name, comment_text, requalify_trigger, split_secondary_keys

CREATE = """CREATE TABLE `t` (
  `id` int(11) NOT NULL,
  `a` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `u` (`a`),
  KEY `k1` (`a`),
  KEY `k 2` (`id`,`a`) COMMENT 'x'
) ENGINE=InnoDB"""


def test_plain_secondary_keys_are_taken_out_in_order() -> None:
    create, keys = split_secondary_keys(CREATE)
    assert keys == ["KEY `k1` (`a`)", "KEY `k 2` (`id`,`a`) COMMENT 'x'"]
    assert create.endswith("  UNIQUE KEY `u` (`a`)\n) ENGINE=InnoDB")


def test_tables_with_foreign_keys_keep_their_indexes() -> None:
    with_fk = CREATE.replace("  KEY `k1` (`a`),", "  KEY `k1` (`a`),\n  CONSTRAINT `f` FOREIGN KEY (`a`) "
                             "REFERENCES `p` (`id`),")
    assert split_secondary_keys(with_fk) == (with_fk, [])


def test_trigger_headers_follow_a_renamed_database() -> None:
    text = "CREATE DEFINER=`root`@`%` TRIGGER shop.ins AFTER INSERT ON shop.items FOR EACH ROW SET @x = 1"
    assert requalify_trigger(text, {"shop": "copy"}) == (
        "CREATE DEFINER=`root`@`%` TRIGGER `copy`.ins AFTER INSERT ON `copy`.items FOR EACH ROW SET @x = 1")
    assert requalify_trigger(text, {"other": "x"}) == text


@given(st.text())
def test_comment_text_is_always_one_line_that_cannot_close_a_comment(text: str) -> None:
    line = comment_text(text)
    assert "\n" not in line and "\r" not in line and "*/" not in line
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in line)
    assert "\u2028" not in line and "\u2029" not in line


def test_comment_text_escapes_what_a_client_would_act_on() -> None:
    assert comment_text("x\nCREATE DATABASE injected; -- ") == "x\\nCREATE DATABASE injected; -- "
    assert comment_text("t\n\\! touch /tmp/owned\n#") == "t\\n\\\\! touch /tmp/owned\\n#"
    assert comment_text("a*/b\x00é") == "a*\\/b\\x00é"
    assert comment_text("plain name_1") == "plain name_1"


@pytest.mark.parametrize("forged", ["utf8mb4; DROP DATABASE x", "latin1 ", "", "a`b", "x\ny"])
def test_a_character_set_name_that_is_not_a_word_is_refused_as_damage(forged: str) -> None:
    with pytest.raises(DamageFound, match="not one"):
        charset_name(forged)
    assert charset_name("utf8mb4_unicode_520_ci") == "utf8mb4_unicode_520_ci"


@given(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and "\x00" not in s),
       st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and "\x00" not in s))
def test_a_table_name_with_dots_commas_or_backticks_is_read_back_as_it_was(database: str, table: str) -> None:
    from app.cli import _csv
    from app.core.backup import parse_table_names, table_name
    written = table_name(database, table)
    assert parse_table_names([written]) == {database: {table}}
    assert _csv(f"{written},{written}") == [written, written]   # a comma inside a quoted part stays
