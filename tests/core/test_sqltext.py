"""Pure text helpers of the engine."""

from __future__ import annotations

from app.core.sqltext import requalify_trigger, split_secondary_keys

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
