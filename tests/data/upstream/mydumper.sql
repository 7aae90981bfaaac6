-- Situations after the schema fixtures of mydumper's own test suite: test/ of
-- https://github.com/mydumper/mydumper (GPL-3.0; read at the commits of December 2026):
-- mydumper_testing_db.sql and its template (as "template-" and "testing-db-"), and each
-- test/specific_N/prepare_mydumper.sql (as "specificN-"). Each "-- case:" is one situation, written
-- in this project's own statements (MIT, like the rest of it): the situations are taken, not the
-- upstream text. Every fixture that runs on MariaDB 10.11 is here; identical ones are one case
-- (specific_1 = 2; specific_5-9 and 14 use 13's actor table; specific_12 = 11's routines;
-- specific_15 = the empty database, specific_20 = the latin1_bin key, specific_23 = 22,
-- specific_29 = 24, specific_41/42 = 40); specific_33, 35 and 38 load sakila, which
-- tests/core/test_roundtrip.py round-trips already; specific_17's file could not be read;
-- specific_21's BIN_TO_UUID (MySQL 8 only) is HEX here; specific_31's 16.8 million rows are
-- 2^12 here, with the same gaps.
--
-- tests/core/test_upstream_cases.py loads each case with the stock client (so DELIMITER works)
-- into a database of its own; {db} is that database's name, and a case may make more databases
-- whose names start with it. Every case must round-trip through restore and export unchanged.

-- case: template-auto-increment-keys-with-uuid-values
CREATE TABLE aipk_uuid (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO aipk_uuid (val) VALUES (UUID());
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;
INSERT INTO aipk_uuid (val) SELECT UUID() FROM aipk_uuid;

-- case: template-binary-primary-key-of-random-bytes
CREATE TABLE char_hex_test (id BINARY(16) NOT NULL, val INT(11) DEFAULT NULL, PRIMARY KEY (id), KEY val (val));
INSERT INTO char_hex_test VALUES (UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000);
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000 FROM char_hex_test;
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000 FROM char_hex_test;
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000 FROM char_hex_test;
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000 FROM char_hex_test;
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), RAND() * 1000 FROM char_hex_test;
INSERT INTO char_hex_test VALUES (0xC84359096531EDB400275FF74D, 539);
INSERT INTO char_hex_test VALUES (0x00000000000000000000000000000000, NULL), (0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, -1);

-- case: template-a-view-of-computed-columns
CREATE TABLE t (qty INT, price INT);
INSERT INTO t VALUES (3, 50);
CREATE VIEW v AS SELECT qty, price, qty * price AS value FROM t;

-- case: template-latin1-bin-character-primary-key
CREATE TABLE table_varchar_pk (id CHAR(5) NOT NULL COLLATE latin1_bin, val INT(11) DEFAULT NULL, PRIMARY KEY (id)) ENGINE = InnoDB DEFAULT CHARSET = latin1;
INSERT INTO table_varchar_pk VALUES (BINARY 'csdfg', 3), ('bsdfg', 3), ('asdfg', 3), ('Ã–asd', 3), (BINARY 'Asdfg', 3), ('Btdfg', 3), ('Csdfg', 3);

-- case: template-table-names-with-wildcards-dots-and-slashes
CREATE TABLE `aipk_uuid_%` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `aipk_uuid_%` (val) VALUES (UUID());
CREATE TABLE `aipk_uuid_*` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `aipk_uuid_*` (val) VALUES (UUID());
CREATE TABLE `aipk_uuid_?` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `aipk_uuid_?` (val) VALUES (UUID());
CREATE TABLE `aipk_uuid_.` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `aipk_uuid_.` (val) VALUES (UUID());
CREATE TABLE `mydumper.aipk_uuid` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `mydumper.aipk_uuid` (val) VALUES (UUID());
CREATE TABLE `mydumper/aipk_uuid` (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO `mydumper/aipk_uuid` (val) VALUES (UUID());

-- case: template-prefix-indexes-a-foreign-key-and-an-update-trigger
CREATE TABLE perftest (id INT(11) NOT NULL AUTO_INCREMENT, val VARCHAR(108) DEFAULT NULL, PRIMARY KEY (id), KEY val (val(2)), KEY val_2 (val(4)), KEY val_3 (val(8))) ENGINE = InnoDB;
CREATE TABLE perftest_2 (id INT(11) NOT NULL AUTO_INCREMENT, val VARCHAR(108) DEFAULT NULL, PRIMARY KEY (id), KEY val (val(2)), KEY val_2 (val(4)), KEY val_3 (val(8))) ENGINE = InnoDB;
CREATE TABLE pertest_child (id INT NOT NULL, PRIMARY KEY (id), CONSTRAINT pertest_child_ibfk_1 FOREIGN KEY (id) REFERENCES perftest (id)) ENGINE = InnoDB;
INSERT INTO perftest (val) VALUES ('alpha'), ('beta'), ('gamma');
INSERT INTO pertest_child VALUES (1), (3);
DELIMITER ;;
CREATE TRIGGER perftest_trigger AFTER UPDATE ON perftest FOR EACH ROW INSERT INTO perftest_2 VALUES (old.id, old.val) ;;
DELIMITER ;
UPDATE perftest SET val = 'BETA' WHERE id = 2;

-- case: template-views-that-sort-before-and-after-their-tables
CREATE TABLE table_view_1_a (id INT(11) NOT NULL AUTO_INCREMENT, val VARCHAR(108) DEFAULT NULL, PRIMARY KEY (id), KEY val_1 (val(8))) ENGINE = InnoDB;
CREATE VIEW table_view_1_b AS SELECT 1 AS id, 1 AS val FROM table_view_1_a LIMIT 1;
CREATE TABLE table_view_2_b (id INT(11) NOT NULL AUTO_INCREMENT, val VARCHAR(108) DEFAULT NULL, PRIMARY KEY (id), KEY val_1 (val(8))) ENGINE = InnoDB;
CREATE VIEW table_view_2_a AS SELECT 1 AS id, 1 AS val FROM table_view_2_b LIMIT 1;
INSERT INTO table_view_2_b (val) VALUES ('x');

-- case: template-routines-and-a-view-that-calls-a-function
CREATE TABLE perftest (id INT PRIMARY KEY, val VARCHAR(20));
CREATE TABLE table_view_2_b (id INT, val INT);
INSERT INTO perftest VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO table_view_2_b VALUES (1, 1);
DELIMITER ;;
CREATE DEFINER = `root`@`localhost` FUNCTION `count_perftest_higher_than`(
    val INT
) RETURNS INT
    DETERMINISTIC
BEGIN
    DECLARE my_count INT;

    SELECT COUNT(*) INTO my_count FROM perftest WHERE id > val;
    RETURN (my_count);
END ;;
CREATE DEFINER = `root`@`localhost` PROCEDURE `get_all_perftest`()
BEGIN
    SELECT * FROM perftest;
END ;;
CREATE DEFINER = `root`@`localhost` PROCEDURE `get_all_table_view_function`()
BEGIN
    SELECT * FROM table_view_function;
END ;;
DELIMITER ;
CREATE VIEW table_view_function AS SELECT 1 AS id, 1 AS val, count_perftest_higher_than(2) FROM table_view_2_b LIMIT 1;

-- case: testing-db-an-empty-database

-- case: testing-db-a-copy-whose-foreign-key-was-dropped
CREATE TABLE perftest (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, val VARCHAR(108));
CREATE TABLE pertest_child (id INT NOT NULL, PRIMARY KEY (id), CONSTRAINT pertest_child_ibfk_1 FOREIGN KEY (id) REFERENCES perftest (id)) ENGINE = InnoDB;
INSERT INTO perftest (val) VALUES ('a');
INSERT INTO pertest_child VALUES (1);
ALTER TABLE pertest_child DROP FOREIGN KEY pertest_child_ibfk_1;
INSERT INTO pertest_child VALUES (99);

-- case: specific2-innodb-and-myisam-auto-increment-tables
CREATE TABLE t_innodb (id INT PRIMARY KEY AUTO_INCREMENT, val INT) ENGINE = InnoDB;
CREATE TABLE t_myisam (id INT PRIMARY KEY AUTO_INCREMENT, val INT) ENGINE = MyISAM;
INSERT INTO t_innodb (val) VALUES (1), (2), (3), (4), (5);
INSERT INTO t_myisam (val) VALUES (1), (2), (3), (4), (5);

-- case: specific3-rows-a-where-clause-would-split
CREATE TABLE t_where (id INT PRIMARY KEY AUTO_INCREMENT, val INT) ENGINE = InnoDB;
INSERT INTO t_where SELECT seq, 1 + (seq - 1) % 10 FROM seq_1_to_20;

-- case: specific4-a-range-partitioned-table-with-version-comment
CREATE TABLE t_regex_partition (id INT NOT NULL AUTO_INCREMENT, val INT DEFAULT NULL, PRIMARY KEY (id)) ENGINE = InnoDB
/*!50100 PARTITION BY RANGE (id)
(PARTITION p0 VALUES LESS THAN (6) ENGINE = InnoDB,
 PARTITION p1 VALUES LESS THAN (11) ENGINE = InnoDB,
 PARTITION p2 VALUES LESS THAN (16) ENGINE = InnoDB,
 PARTITION p3 VALUES LESS THAN (21) ENGINE = InnoDB) */;
INSERT INTO t_regex_partition (val) SELECT 1 + (seq - 1) % 5 FROM seq_1_to_20;

-- case: specific10-blob-and-varbinary-name-columns-with-an-index
CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name BLOB NOT NULL, last_name VARBINARY(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (actor_id), KEY idx_actor_last_name (last_name)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT INTO actor VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15 04:34:33'), (2, 'NICK', 'WAHLBERG', '2006-02-15 04:34:33'), (3, 0x00FF0A0D, 0x5C27, '2006-02-15 04:34:33'), (4, '', '', '2038-01-19 03:14:07');

-- case: specific11-routines-over-tables-that-are-not-there
DELIMITER ;;
CREATE PROCEDURE `film_in_stock`(IN p_film_id INT, IN p_store_id INT, OUT p_film_count INT)
    READS SQL DATA
BEGIN
     SELECT inventory_id FROM inventory
     WHERE film_id = p_film_id AND store_id = p_store_id AND inventory_in_stock(inventory_id);
     SELECT COUNT(*) FROM inventory
     WHERE film_id = p_film_id AND store_id = p_store_id AND inventory_in_stock(inventory_id)
     INTO p_film_count;
END ;;
CREATE FUNCTION `get_customer_balance`(p_customer_id INT, p_effective_date DATETIME) RETURNS DECIMAL(5,2)
    READS SQL DATA
    DETERMINISTIC
BEGIN
  DECLARE v_rentfees DECIMAL(5,2);
  DECLARE v_overfees INTEGER;
  DECLARE v_payments DECIMAL(5,2);
  SELECT IFNULL(SUM(film.rental_rate), 0) INTO v_rentfees FROM film, inventory, rental
    WHERE film.film_id = inventory.film_id AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date AND rental.customer_id = p_customer_id;
  SELECT IFNULL(SUM(IF((TO_DAYS(rental.return_date) - TO_DAYS(rental.rental_date)) > film.rental_duration,
        ((TO_DAYS(rental.return_date) - TO_DAYS(rental.rental_date)) - film.rental_duration), 0)), 0) INTO v_overfees
    FROM rental, inventory, film
    WHERE film.film_id = inventory.film_id AND inventory.inventory_id = rental.inventory_id
      AND rental.rental_date <= p_effective_date AND rental.customer_id = p_customer_id;
  SELECT IFNULL(SUM(payment.amount), 0) INTO v_payments FROM payment
    WHERE payment.payment_date <= p_effective_date AND payment.customer_id = p_customer_id;
  RETURN v_rentfees + v_overfees - v_payments;
END ;;
DELIMITER ;
CREATE TABLE test (id INT AUTO_INCREMENT PRIMARY KEY, data VARCHAR(16) NOT NULL);
CREATE SQL SECURITY INVOKER VIEW test_view AS SELECT * FROM `{db}`.test;

-- case: specific13-actor-with-a-timestamp-updated-on-change
CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (actor_id), KEY idx_actor_last_name (last_name)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT INTO actor VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15 04:34:33'), (2, 'NICK', 'WAHLBERG', '2006-02-15 04:34:33'), (3, 'ED', 'CHASE', '2006-02-15 04:34:33'), (4, 'JENNIFER', 'DAVIS', '2006-02-15 04:34:33'), (5, 'JOHNNY', 'LOLLOBRIGIDA', '2006-02-15 04:34:33');

-- case: specific16-a-table-whose-comment-says-view
CREATE TABLE tb (id INT) COMMENT = 'VIEW';
INSERT INTO tb VALUES (1);
CREATE TABLE tv (id INT) COMMENT = 'VIEW tb AS SELECT 1';
CREATE VIEW vt AS SELECT id FROM tb;

-- case: specific18-two-thousand-uuid-rows-for-chunking
CREATE TABLE mydumper_aipk_uuid (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(36));
INSERT INTO mydumper_aipk_uuid (val) SELECT UUID() FROM seq_1_to_2048;

-- case: specific19-a-binary-key-holding-control-bytes
CREATE TABLE char_hex_test (id BINARY(16) NOT NULL, val INT(11) DEFAULT NULL, PRIMARY KEY (id), KEY val (val));
INSERT INTO char_hex_test SELECT UNHEX(REPLACE(UUID(), '-', '')), seq FROM seq_1_to_32;
INSERT INTO char_hex_test VALUES (0xC8435920653111ED8DB408005C275FF7, 539), (0x0A0D1A5C2700225C6E5C30, 540);

-- case: specific21-a-view-that-concatenates-a-binary-column-under-a-collation
CREATE TABLE test (test BINARY(16) NOT NULL) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_general_ci;
INSERT INTO test VALUES (UNHEX(REPLACE(UUID(), '-', ''))), (0x00000000000000000000000000000000);
CREATE OR REPLACE ALGORITHM = UNDEFINED VIEW `test_view` AS SELECT test.*, CONCAT('CONTACT', HEX(`test`.`test`)) COLLATE utf8mb4_general_ci AS contact FROM `{db}`.test;

-- case: specific22-an-insert-trigger-that-copies-rows-must-not-copy-them-twice
CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (actor_id), KEY idx_actor_last_name (last_name)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
CREATE TABLE person (person_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (person_id)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
DELIMITER ;;
CREATE TRIGGER `ins_actor` AFTER INSERT ON `actor` FOR EACH ROW BEGIN
    INSERT INTO person (first_name, last_name)
        VALUES (new.first_name, new.last_name);
  END;;
DELIMITER ;
INSERT INTO actor VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15 04:34:33'), (2, 'NICK', 'WAHLBERG', '2006-02-15 04:34:33'), (3, 'ED', 'CHASE', '2006-02-15 04:34:33');
UPDATE person SET last_update = '2006-02-15 04:34:33';

-- case: specific24-a-hundred-tables-of-one-row
DELIMITER //
FOR i IN 1..100 DO
  EXECUTE IMMEDIATE CONCAT('CREATE TABLE t', LPAD(i, 3, '0'), ' (id INT PRIMARY KEY, data VARCHAR(100))');
  EXECUTE IMMEDIATE CONCAT('INSERT INTO t', LPAD(i, 3, '0'), ' VALUES (1, ''data', LPAD(i, 3, '0'), ''')');
END FOR //
DELIMITER ;

-- case: specific25-fifty-tables-of-a-thousand-rows-made-by-a-dropped-procedure
DELIMITER //
CREATE PROCEDURE create_test_tables()
BEGIN
    DECLARE i INT DEFAULT 1;
    WHILE i <= 50 DO
        EXECUTE IMMEDIATE CONCAT('CREATE TABLE t', i, ' (id INT PRIMARY KEY AUTO_INCREMENT, data VARCHAR(255), num INT, created_at TIMESTAMP DEFAULT ''2020-02-02 02:02:02'')');
        EXECUTE IMMEDIATE CONCAT('INSERT INTO t', i, ' (data, num) SELECT CONCAT(''data_'', seq, ''_table_', i, '''), seq FROM seq_1_to_1000');
        SET i = i + 1;
    END WHILE;
END//
DELIMITER ;
CALL create_test_tables();
DROP PROCEDURE create_test_tables;

-- case: specific26-tables-of-three-collations
CREATE TABLE default_collation (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, description TEXT);
INSERT INTO default_collation (name, description) VALUES ('item1', 'First item'), ('item2', 'Second item'), ('item3', 'Third item');
CREATE TABLE utf8mb4_data (id INT PRIMARY KEY AUTO_INCREMENT, content VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci);
INSERT INTO utf8mb4_data (content) VALUES ('Hello World'), ('Test data'), ('Straße ǅ ﬁ');
CREATE TABLE latin1_data (id INT PRIMARY KEY AUTO_INCREMENT, content VARCHAR(255) CHARACTER SET latin1 COLLATE latin1_swedish_ci);
INSERT INTO latin1_data (content) VALUES ('Latin text 1'), ('Ångström ÿ');
CREATE TABLE regular_data (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100), amount DECIMAL(10,2), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
INSERT INTO regular_data (name, amount, created_at) VALUES ('Regular item 1', 100.00, '2020-01-01 00:00:00'), ('Regular item 2', -0.01, '2020-01-02 00:00:00');

-- case: specific27-tables-created-out-of-name-order
CREATE TABLE zebra (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100));
CREATE TABLE alpha (id INT PRIMARY KEY AUTO_INCREMENT, value INT);
CREATE TABLE middle (id INT PRIMARY KEY AUTO_INCREMENT, data TEXT);
CREATE TABLE beta (id INT PRIMARY KEY AUTO_INCREMENT, amount DECIMAL(10,2));
INSERT INTO zebra (name) VALUES ('last'), ('entry');
INSERT INTO alpha (value) VALUES (1), (2), (3);
INSERT INTO middle (data) VALUES ('test data 1'), ('test data 2');
INSERT INTO beta (amount) VALUES (100.00), (200.50);

-- case: specific28-a-chain-of-foreign-keys
CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, email VARCHAR(255));
CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, user_id INT NOT NULL, total DECIMAL(10,2), FOREIGN KEY (user_id) REFERENCES users (id));
CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, order_id INT NOT NULL, product VARCHAR(100), quantity INT, FOREIGN KEY (order_id) REFERENCES orders (id));
INSERT INTO users (name, email) VALUES ('Alice', 'alice@example.com'), ('Bob', 'bob@example.com'), ('Charlie', NULL);
INSERT INTO orders (user_id, total) VALUES (1, 100.00), (1, 250.50), (2, 75.25);
INSERT INTO items (order_id, product, quantity) VALUES (1, 'Widget A', 2), (1, 'Widget B', 1), (2, 'Gadget X', 5), (3, 'Widget A', 3);

-- case: specific30-a-myisam-actor-table
CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (actor_id), KEY idx_actor_last_name (last_name)) ENGINE = MyISAM DEFAULT CHARSET = utf8mb4;
INSERT INTO actor VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15 04:34:33'), (2, 'NICK', 'WAHLBERG', '2006-02-15 04:34:33'), (10, 'CHRISTIAN', 'GABLE', '2006-02-15 04:34:33');

-- case: specific31-a-composite-key-with-huge-gaps
CREATE TABLE multi_column_table (k1 INT NOT NULL, k2 INT NOT NULL, val INT DEFAULT NULL, PRIMARY KEY (k1, k2));
INSERT INTO multi_column_table VALUES (1, 1, 5);
DELIMITER //
FOR n IN 1..12 DO
  INSERT IGNORE INTO multi_column_table (k1, k2, val) SELECT k1, POW(2, n) + k2, 5 FROM multi_column_table WHERE k1 = 1;
END FOR //
FOR n IN 2..11 DO
  INSERT IGNORE INTO multi_column_table (k1, k2, val) SELECT n, k2, 5 FROM multi_column_table WHERE k1 = 1 AND k2 < 64;
END FOR //
DELIMITER ;
INSERT IGNORE INTO multi_column_table (k1, k2, val) SELECT 10000, k2, 5 FROM multi_column_table WHERE k1 = 1 AND k2 < 300;
INSERT IGNORE INTO multi_column_table (k1, k2, val) SELECT 100000000, k2, 5 FROM multi_column_table WHERE k1 = 1;
INSERT INTO multi_column_table VALUES (-2147483648, 2147483647, NULL);

-- case: specific32-a-database-name-with-a-dot
CREATE DATABASE `{db}.dot`;
CREATE TABLE `{db}.dot`.t1 (id INT PRIMARY KEY AUTO_INCREMENT, val VARCHAR(100));
INSERT INTO `{db}.dot`.t1 (val) VALUES ('a'), ('b'), ('c');
CREATE VIEW `{db}.dot`.v1 AS SELECT val FROM `{db}.dot`.t1;

-- case: specific34-sysbench-rows-of-fixed-width-strings
CREATE TABLE sbtest (id INT(11) NOT NULL AUTO_INCREMENT, k INT(11) NOT NULL DEFAULT '0', c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id)) ENGINE = InnoDB;
INSERT INTO sbtest SELECT seq * 3, 450 + seq % 100, CONCAT_WS('-', LPAD(seq * 7919 % 100000000000, 11, '0'), LPAD(seq * 104729 % 100000000000, 11, '0'), LPAD(seq, 11, '0'), LPAD(seq * 31, 11, '0'), LPAD(seq * 37, 11, '0'), LPAD(seq * 41, 11, '0'), LPAD(seq * 43, 11, '0'), LPAD(seq * 47, 11, '0'), LPAD(seq * 53, 11, '0'), LPAD(seq * 59, 11, '0')), CONCAT_WS('-', LPAD(seq * 61, 11, '0'), LPAD(seq * 67, 11, '0'), LPAD(seq * 71, 11, '0'), LPAD(seq * 73, 11, '0'), LPAD(seq * 79, 11, '0')) FROM seq_1_to_3000;

-- case: specific36-a-table-chunked-by-a-secondary-index
CREATE TABLE only_index_mode (id INT NOT NULL AUTO_INCREMENT, group_id INT NOT NULL, payload VARCHAR(64) NOT NULL, PRIMARY KEY (id), KEY idx_group_id (group_id));
INSERT INTO only_index_mode (group_id, payload) VALUES (10, 'alpha'), (10, 'beta'), (20, 'gamma'), (30, 'delta');
CREATE TABLE no_key_at_all (group_id INT NOT NULL, payload VARCHAR(64));
INSERT INTO no_key_at_all SELECT seq % 7, CONCAT('p', seq) FROM seq_1_to_500;
INSERT INTO no_key_at_all SELECT * FROM no_key_at_all WHERE group_id = 3;

-- case: specific39-a-native-uuid-primary-key
CREATE TABLE uuid_test (id UUID NOT NULL PRIMARY KEY, val VARCHAR(32));
INSERT INTO uuid_test VALUES (UUID(), 'native uuid'), ('00000000-0000-0000-0000-000000000000', 'nil'), ('ffffffff-ffff-ffff-ffff-ffffffffffff', 'max');

-- case: specific40-one-small-table
CREATE TABLE t1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, val VARCHAR(32));
INSERT INTO t1 (val) VALUES ('a'), ('b'), ('c');

