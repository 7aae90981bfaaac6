-- =============================================================================================
-- hostile.sql: a deliberately nasty pair of databases for logical-backup round-trip tests.
--
-- Creates `hostile` (utf8mb4_unicode_ci) and `hostile_other` (latin1_german1_ci), dropping them
-- first.  Every section below is one family of things a dump/restore tool tends to get wrong.
-- Load with the stock client (the file must be read as utf8mb4):
--
--   mariadb --no-defaults --default-character-set=utf8mb4 -S SOCKET -uroot < hostile.sql
--
-- Target: MariaDB 10.11.  Data is small (about 5,100 rows in all).  Nothing here runs by itself
-- afterwards: the events are DISABLEd, and the triggers fire only on new inserts.
--
-- Things MariaDB itself normalises, so they cannot survive even in the source:
--   * FLOAT/DOUBLE -0.0 is stored as +0 (rows are still inserted with -0e0).
--   * 3.4028235e38 is refused as out of range for FLOAT; FLT_MAX is written as 3.4028234e38.
--   * CHAR(n) strips trailing spaces when read back; BINARY(n) pads with 0x00.
-- =============================================================================================

SET NAMES utf8mb4 COLLATE utf8mb4_general_ci;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
SET SESSION foreign_key_checks = 1;
SET SESSION unique_checks = 1;

DROP DATABASE IF EXISTS hostile;
DROP DATABASE IF EXISTS hostile_other;

-- Per-database character sets: hostile is utf8mb4 with a non-default collation, hostile_other is
-- latin1 with a non-default collation.
CREATE DATABASE hostile CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
  COMMENT 'hostile test data: it''s "nasty"';
CREATE DATABASE hostile_other CHARACTER SET latin1 COLLATE latin1_german1_ci;

USE hostile;

-- Every byte value 0x00..0xFF, used by several tables below.
SET @all256 = CONCAT(
  X'000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F',
  X'404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F',
  X'808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF',
  X'C0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF');


-- ---------------------------------------------------------------------------------------------
-- 1. Integers: every width, signed and UNSIGNED, at their minimum and maximum.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_int (
  id   INT NOT NULL PRIMARY KEY,
  ti   TINYINT,    tiu TINYINT UNSIGNED,
  si   SMALLINT,   siu SMALLINT UNSIGNED,
  mi   MEDIUMINT,  miu MEDIUMINT UNSIGNED,
  i    INT,        iu  INT UNSIGNED,
  bi   BIGINT,     biu BIGINT UNSIGNED,
  zf   INT(8) UNSIGNED ZEROFILL,
  flag BOOLEAN DEFAULT TRUE
) ENGINE=InnoDB;

INSERT INTO t_int VALUES
  (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, 0, FALSE),
  (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
      9223372036854775807, 18446744073709551615, 99999999, TRUE),
  (3, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, 42, 2),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);


-- ---------------------------------------------------------------------------------------------
-- 2. DECIMAL(65,30), FLOAT and DOUBLE.  FLOAT values need 9 significant digits to round-trip
--    (mariadb-dump prints only 6); DOUBLE values need 17.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_num (
  id    INT NOT NULL PRIMARY KEY,
  d65   DECIMAL(65,30),
  d_u   DECIMAL(6,2) UNSIGNED,
  f     FLOAT,
  f_md  FLOAT(10,4),
  dbl   DOUBLE,
  dbl_md DOUBLE(30,20)
) ENGINE=InnoDB;

INSERT INTO t_num VALUES
  (1,  99999999999999999999999999999999999.999999999999999999999999999999, 9999.99,
       941041.875, 123456.7891, 1e0/3e0, 0.12345678901234567890),
  (2, -99999999999999999999999999999999999.999999999999999999999999999999, 0,
       1.17549435e-38, -999999.9999, 1e-308, -1234567890.12345678901234567890),
  (3,  0.000000000000000000000000000001, 0.01,
       3.4028234e38 /* FLT_MAX */, 0, 1.7976931348623157e308, 0),
  (4, -0.000000000000000000000000000001, NULL,
       -0e0 /* stored as +0 by MariaDB */, NULL, 0.1, NULL),
  (5,  0, 1.5,
       0.1, 1.5, -0e0, 1e-20),
  (6,  12345678901234567890.123456789012345678901234567890, 42,
       -3.4028234e38, -0.0001, 2.2250738585072014e-308 /* DBL_MIN */, 0.1),
  (7,  NULL, NULL, 16777217 /* not representable: becomes 16777216 */, NULL, 4.9e-324 /* denormal */, NULL),
  (8,  NULL, NULL, NULL, NULL, -1.7976931348623157e308, NULL),
  (9,  NULL, NULL, NULL, NULL, 9007199254740993 /* 2^53+1 */, NULL);


-- ---------------------------------------------------------------------------------------------
-- 3. BIT(1), BIT(7), BIT(64).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_bit (
  id  INT NOT NULL PRIMARY KEY,
  b1  BIT(1),
  b7  BIT(7) DEFAULT b'101',
  b64 BIT(64)
) ENGINE=InnoDB;

INSERT INTO t_bit VALUES
  (1, b'0', b'0000000', b'0'),
  (2, b'1', b'1111111', 0xFFFFFFFFFFFFFFFF),
  (3, 1, b'0100111' /* 0x27, a quote */, b'1000000000000000000000000000000000000000000000000000000000000000'),
  (4, 0, b'1011100' /* 0x5C, a backslash */, 0x00000000000000FF),
  (5, NULL, NULL, NULL);
INSERT INTO t_bit (id) VALUES (6);  -- takes the column defaults


-- ---------------------------------------------------------------------------------------------
-- 4. Temporal types with fractional seconds, their extremes, negative and > 24 h TIME.
--    TIMESTAMP values are given in UTC (time_zone is +00:00 for this whole script).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_time (
  id   INT NOT NULL PRIMARY KEY,
  d    DATE,
  dt   DATETIME(6),
  ts   TIMESTAMP(6) NULL DEFAULT NULL,
  tm   TIME(6),
  y    YEAR,
  dt0  DATETIME,
  ts_u TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00' ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

INSERT INTO t_time VALUES
  (1, '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '-838:59:59.000000', 1901,
      '1000-01-01 00:00:00', '1970-01-01 00:00:01'),
  (2, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155,
      '9999-12-31 23:59:59', '2038-01-19 03:14:07'),
  (3, '2024-02-29', '2024-02-29 12:34:56.789012', '2024-03-31 01:30:00.500000', '-00:00:00.000001', 0,
      '2024-10-27 02:30:00', '2024-10-27 02:30:00'),
  (4, '1970-01-01', '1969-12-31 23:59:59.999999', '2001-09-09 01:46:40.000001', '25:00:00.5', 2000,
      NULL, '2020-02-02 02:02:02'),
  (5, NULL, NULL, NULL, '-01:02:03.4', NULL, NULL, '2000-01-01 00:00:00');


-- ---------------------------------------------------------------------------------------------
-- 5. Zero dates and other values only a permissive sql_mode accepts: '0000-00-00',
--    '0000-00-00 00:00:00', dates with a zero month or day, and the ENUM "error" value ''
--    (index 0) stored by assigning a value that is not a member.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_zero (
  id  INT NOT NULL PRIMARY KEY,
  d   DATE,
  dt  DATETIME DEFAULT '0000-00-00 00:00:00',
  ts  TIMESTAMP NULL DEFAULT NULL,
  e   ENUM('alpha','beta')
) ENGINE=InnoDB;

SET SESSION sql_mode = '';
INSERT INTO t_zero VALUES
  (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'alpha'),
  (2, '2020-00-15', '2020-01-00 10:00:00', NULL, 'not a member'),   -- e becomes '' (index 0)
  (3, '0000-00-00', '0000-00-00 00:00:00', NULL, NULL);
INSERT INTO t_zero (id) VALUES (4);
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';


-- ---------------------------------------------------------------------------------------------
-- 6. Text in utf8mb4 and the values that break naive escaping or NULL handling:
--    NULL vs '' vs 'NULL' vs 'null' vs '\N', quotes, backslashes, newline, tab, CR, NUL, Ctrl-Z,
--    emoji (4-byte), ZWJ sequences, combining characters, bidi controls, BOM, trailing spaces.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_str (
  id     INT NOT NULL PRIMARY KEY,
  c      CHAR(20),
  vc     VARCHAR(255),
  tx     TEXT,
  tt     TINYTEXT,
  mt     MEDIUMTEXT,
  lt     LONGTEXT,
  vc_bin VARCHAR(255) COLLATE utf8mb4_bin,
  note   VARCHAR(100) NOT NULL DEFAULT 'it''s a \\ default'
) ENGINE=InnoDB;

INSERT INTO t_str (id, vc, note) VALUES
  ( 1, NULL,                    'SQL NULL'),
  ( 2, '',                      'empty string'),
  ( 3, 'NULL',                  'the word NULL'),
  ( 4, 'null',                  'the word null'),
  ( 5, '\\N',                   'backslash N (mysqldump/LOAD DATA NULL marker)'),
  ( 6, 'N',                     'just N'),
  ( 7, 'it''s "quoted" `tick`', 'single, double and back quotes'),
  ( 8, 'back\\slash\\',         'ends with a backslash'),
  ( 9, '\\''',                  'backslash then quote'),
  (10, 'line1\nline2\n',        'newlines'),
  (11, 'tab\there\t',           'tabs'),
  (12, 'cr\rcrlf\r\n',          'carriage returns'),
  (13, 'nul\0byte\0',           'NUL bytes'),
  (14, 'ctrl-z\Zend',           'Ctrl-Z (0x1A)'),
  (15, '😀🎉 👨‍👩‍👧‍👦 🏳️‍🌈',          'emoji, ZWJ sequences, variation selector'),
  (16, CONCAT('cafe', _utf8mb4 X'CC81', ' vs café'), 'combining acute (NFD) vs precomposed (NFC)'),
  (17, CONCAT(_utf8mb4 X'EFBBBF', 'bom ', _utf8mb4 X'E280AE', 'rtl', _utf8mb4 X'E280AC', ' zw', _utf8mb4 X'E2808B', 'sp'),
                                'BOM, RLO/PDF, zero-width space'),
  (18, 'trailing   ',           'trailing spaces (CHAR drops them, VARCHAR keeps them)'),
  (19, '   ',                   'only spaces'),
  (20, '𝕳𝖔𝖘𝖙𝖎𝖑𝖊 𠜎𠜱 日本語 Ελληνικά Ѐ עברית',  'astral plane letters, CJK ext B, scripts'),
  (21, '; DROP TABLE t_str; -- /* */ #',           'SQL in data'),
  (22, '%_ LIKE wildcards $1 @var ${x} \\% \\_',   'wildcards and template markers'),
  (23, CONCAT('all controls: ', _utf8mb4 X'0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F7F'),
                                'every ASCII control character');

UPDATE t_str SET c = LEFT(vc, 20), tx = vc, tt = vc, mt = vc, lt = vc, vc_bin = vc;
-- A few long values (repeated patterns containing the escaping characters).
INSERT INTO t_str (id, vc, tx, mt, lt) VALUES
  (24, REPEAT('x', 255), REPEAT('ab\'c\\d\n', 8000), REPEAT('日本\0', 30000), REPEAT('😀\r\n', 50000));


-- ---------------------------------------------------------------------------------------------
-- 7. Other character sets.  latin1 with every byte 0x80..0xFF; sjis, gbk and big5 with
--    characters whose SECOND byte is 0x5C (a backslash in ASCII), which breaks escaping done
--    byte-wise in the wrong character set; utf16/utf32/ucs2 (not ASCII compatible).
--    Table default charset and collation differ from the database's.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_charsets (
  id   INT NOT NULL PRIMARY KEY,
  l1   VARCHAR(300) CHARACTER SET latin1 COLLATE latin1_bin,
  sj   VARCHAR(50)  CHARACTER SET sjis,
  gb   VARCHAR(50)  CHARACTER SET gbk,
  b5   VARCHAR(50)  CHARACTER SET big5,
  cy   VARCHAR(50)  CHARACTER SET cp1251 COLLATE cp1251_general_cs,
  u16  VARCHAR(50)  CHARACTER SET utf16,
  u32  VARCHAR(50)  CHARACTER SET utf32,
  ucs  VARCHAR(50)  CHARACTER SET ucs2,
  asc_ VARCHAR(50)  CHARACTER SET ascii COLLATE ascii_bin,
  u3   VARCHAR(50)  CHARACTER SET utf8mb3,
  dflt VARCHAR(50)  -- inherits the table default below
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

INSERT INTO t_charsets VALUES
  -- raw bytes in each column's own character set
  (1, _latin1 X'808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FA0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF',
      _sjis X'955C835C945C8F5C975C',    -- 表ソ能十予: every second byte is 0x5C
      _gbk  X'815CD55C',                -- 乗誠
      _big5 X'B35CA55CBB5C',            -- 許功蓋
      _cp1251 X'CFF0E8E2E5F2',          -- Привет
      '😀é', '😀', 'é日本', 'plain ascii', '日本語', 'ünïcödé'),
  -- the same characters typed as utf8mb4 literals, plus real backslashes and quotes
  (2, 'Ä ß € ‰ œ ÿ \\ ''', '表ソ能\\''十', '乗誠\\', '許功蓋\\', 'Ёж \\', 'a\\b', 'c\\''d', '\\', 'back\\slash ''q''',
      'ß\\', '\\'),
  -- ASCII control characters in a single-byte set
  (3, _latin1 X'0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F7F', '', '', '', '', '', '', '', '', '', ''),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  -- sjis: a lone 0x5C (backslash / yen sign) and 0x815F (fullwidth backslash) BOTH read as
  -- U+005C, and U+005C is written back as 0x815F: only a byte-exact dump keeps this row intact.
  (5, NULL, _sjis X'5C', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (6, NULL, _sjis X'815F', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);


-- ---------------------------------------------------------------------------------------------
-- 8. Binary strings: all 256 byte values, NUL bytes, quote and backslash bytes, invalid UTF-8,
--    empty binary, BINARY(n) right-padding, and a 140 KB LONGBLOB.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_bin (
  id  INT NOT NULL PRIMARY KEY,
  bn  BINARY(16),
  vb  VARBINARY(300),
  tb  TINYBLOB,
  b   BLOB,
  mb  MEDIUMBLOB,
  lb  LONGBLOB
) ENGINE=InnoDB;

INSERT INTO t_bin VALUES
  (1, X'000102030405060708090A0B0C0D0E0F', @all256, LEFT(@all256, 255), @all256, @all256, @all256),
  (2, X'00', X'00', X'0000', X'000000', X'00000000', X'0000000000'),
  (3, X'275C', X'5C27', X'27', X'5C', X'5C00', X'22275C6E0D0A1A'),   -- ' \ combinations, a literal "\n"
  (4, '', '', '', '', '', ''),                                         -- empty (BINARY(16) pads to 16 x 00)
  (5, NULL, NULL, NULL, NULL, NULL, NULL),
  (6, X'41000000', X'4120', X'F09F9880', X'C328', X'80', X'FFFE0000'), -- trailing 0x00/space, UTF-8, invalid UTF-8
  (7, 'NULL', 'null', '\\N', 'N', 'text stored as binary', REPEAT(X'00FF275C0D0A1A', 20000));


-- ---------------------------------------------------------------------------------------------
-- 9. ENUM and SET, with members containing quotes, backslashes, commas (ENUM only) and
--    non-ASCII; the empty SET; JSON; INET6 and UUID.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_enum_set (
  id INT NOT NULL PRIMARY KEY,
  e  ENUM('small','medium','large','it''s','back\\slash','with,comma','é日本') NOT NULL DEFAULT 'medium',
  s  SET('read','write','exec','x''y','日本'),
  e2 ENUM('0','1','2')  -- numeric-looking members: '1' is index 2
) ENGINE=InnoDB;

INSERT INTO t_enum_set VALUES
  (1, 'small', '', '0'),
  (2, 'it''s', 'read,write,exec,x''y,日本', '1'),
  (3, 'back\\slash', 'exec,read', '2'),
  (4, 'with,comma', NULL, NULL),
  (5, 'é日本', 'x''y', 1);          -- numeric 1 is index 1, i.e. '0'
INSERT INTO t_enum_set (id) VALUES (6);

CREATE TABLE t_json (
  id INT NOT NULL PRIMARY KEY,
  j  JSON,
  j2 JSON NOT NULL DEFAULT '{}'
) ENGINE=InnoDB;

INSERT INTO t_json VALUES
  (1, '{"a": [1, 2.50, "x\\"y", true, null], "b": {"c": "😀"}}', '[]'),
  (2, '"just a string"', '{}'),
  (3, 'null', 'null'),                                   -- JSON null, not SQL NULL
  (4, NULL, '{"esc": "line\\nbreak\\ttab \\u00e9 \\\\ \\/"}'),
  (5, '{"big": 18446744073709551616, "prec": 0.1000000000000000055511151231257827, "exp": 1E+2}', '{"k":1,   "k":2}'),
  (6, '  [ 1 , 2 ]  ', '{"日本": "語", "": ""}');          -- insignificant whitespace is kept as text

CREATE TABLE t_inet_uuid (
  id    INT NOT NULL PRIMARY KEY,
  ip    INET6,
  u     UUID,
  ip_nn INET6 NOT NULL DEFAULT '::'
) ENGINE=InnoDB;

INSERT INTO t_inet_uuid VALUES
  (1, '::1', '123e4567-e89b-12d3-a456-426614174000', '::'),
  (2, '2001:db8::ff00:42:8329', '00000000-0000-0000-0000-000000000000', 'fe80::1'),
  (3, '::ffff:192.0.2.128', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '::ffff:10.0.0.1'),
  (4, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '6ccd780c-baba-1026-9564-5b8c656024db', '::'),
  (5, NULL, NULL, '1::');


-- ---------------------------------------------------------------------------------------------
-- 10. Spatial types with SRIDs (REF_SYSTEM_ID) and a SPATIAL index.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_geo (
  id   INT NOT NULL PRIMARY KEY,
  g    GEOMETRY REF_SYSTEM_ID=4326,
  p    POINT REF_SYSTEM_ID=4326 NOT NULL,
  poly POLYGON REF_SYSTEM_ID=3857,
  g0   GEOMETRY,
  SPATIAL INDEX sp_p (p)
) ENGINE=InnoDB;

INSERT INTO t_geo VALUES
  (1, ST_GeomFromText('LINESTRING(0 0,1 1,2 1)', 4326),
      ST_GeomFromText('POINT(12.4924 41.8902)', 4326),
      ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))', 3857),
      ST_GeomFromText('POINT(1 2)')),
  (2, ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))', 4326),
      ST_GeomFromText('POINT(-179.999999999999 -89.123456789012345)', 4326),
      NULL,
      ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))', 0)),
  (3, NULL,
      ST_GeomFromText('POINT(1e-300 -1e300)', 4326),
      ST_GeomFromText('POLYGON((0.1 0.1,0.3 0.1,0.3 0.3,0.1 0.1))', 3857),
      ST_GeomFromText('MULTIPOINT(1 1,2 2)', 27700));


-- ---------------------------------------------------------------------------------------------
-- 11. Odd identifiers: reserved words, spaces, backticks, double quotes, dots, a numeric name,
--     non-ASCII, in table and column names.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE `select` (
  `order`      INT NOT NULL PRIMARY KEY,
  `from`       VARCHAR(20),
  `my column`  VARCHAR(20),
  `back``tick` VARCHAR(20),
  `dq"name`    VARCHAR(20),
  `é`          INT,
  `日本`       VARCHAR(20),
  `123`        INT,
  `key`        INT,
  `$dollar`    INT,
  KEY `index` (`from`),
  KEY `key name with spaces` (`my column`, `back``tick`)
) ENGINE=InnoDB COMMENT='reserved words: it''s a "table"';

INSERT INTO `select` VALUES
  (1, 'from', 'my value', '`', '"', 1, '日本', 123, 1, 1),
  (2, 'where', 'a''b', '``', '""', 2, 'にほん', 0, 2, NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE `my table` (`id` INT NOT NULL PRIMARY KEY, `value with space` VARCHAR(20)) ENGINE=InnoDB;
INSERT INTO `my table` VALUES (1, 'spaced'), (2, ' ');

CREATE TABLE `dotted.name` (`id` INT NOT NULL PRIMARY KEY, `a.b` VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO `dotted.name` VALUES (1, 'dot'), (2, '.');

CREATE TABLE `back``tick table` (`id` INT NOT NULL PRIMARY KEY, `v` INT) ENGINE=InnoDB;
INSERT INTO `back``tick table` VALUES (1, 10);

CREATE TABLE `日本` (`ид` INT NOT NULL PRIMARY KEY, `名前` VARCHAR(20)) ENGINE=InnoDB;
INSERT INTO `日本` VALUES (1, '東京'), (2, '大阪');

CREATE TABLE `café` (`id` INT NOT NULL PRIMARY KEY, `crème brûlée` VARCHAR(20)) ENGINE=InnoDB;
INSERT INTO `café` VALUES (1, 'oui');

CREATE TABLE `order` (`group` INT NOT NULL PRIMARY KEY, `desc` VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO `order` VALUES (1, 'asc');


-- ---------------------------------------------------------------------------------------------
-- 12. Key shapes that matter for chunking and for restore order.
-- ---------------------------------------------------------------------------------------------
-- No primary key, no unique key, with fully duplicated rows (including duplicated NULL rows).
CREATE TABLE t_nopk (a INT, b VARCHAR(20), c DOUBLE, KEY (a)) ENGINE=InnoDB;
INSERT INTO t_nopk VALUES
  (1, 'dup', 1.5), (1, 'dup', 1.5), (1, 'dup', 1.5),
  (2, 'x', NULL), (NULL, NULL, NULL), (NULL, NULL, NULL), (3, '', 0);

-- Composite primary key (int + varchar).
CREATE TABLE t_composite_pk (
  a INT NOT NULL,
  b VARCHAR(40) NOT NULL,
  v TEXT,
  PRIMARY KEY (a, b)
) ENGINE=InnoDB;
INSERT INTO t_composite_pk VALUES
  (1, 'a', 'one-a'), (1, 'b', 'one-b'), (1, 'é', 'one-e-acute'), (1, '😀', 'emoji'),
  (2, 'a', 'two-a'), (-1, '', 'empty key part'), (0, 'it''s', 'quote'), (0, '\\', 'backslash');

-- Only a UNIQUE NOT NULL key (InnoDB uses it as the clustered index).
CREATE TABLE t_unique_only (
  code VARCHAR(20) NOT NULL,
  v    INT,
  UNIQUE KEY uk_code (code)
) ENGINE=InnoDB;
INSERT INTO t_unique_only VALUES ('b', 2), ('a', 1), ('c''', NULL), ('', 0), ('Z', 26);

-- VARCHAR primary key in a NO PAD binary collation: 'a', 'A', 'a ' and '' are all distinct
-- keys, which breaks keyset pagination done with a PAD SPACE or case-insensitive comparison.
CREATE TABLE t_varchar_pk (
  k VARCHAR(100) NOT NULL PRIMARY KEY,
  v INT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO t_varchar_pk VALUES
  ('a', 1), ('A', 2), ('a ', 3), ('', 4), ('b', 5), ('é', 6), (CONCAT('e', _utf8mb4 X'CC81'), 7),
  ('😀', 8), ('\\', 9), ('''', 10), ('zzz', 11), ('Z', 12), (' ', 13), ('a\0', 14);

-- ~5,000 rows (with gaps) so that chunked dumps need several chunks.  A descending index and
-- an IGNORED index too.
CREATE TABLE t_big (
  id      INT UNSIGNED NOT NULL PRIMARY KEY,
  s       VARCHAR(64) NOT NULL,
  n       DOUBLE,
  d       DECIMAL(12,3),
  dt      DATETIME,
  payload VARBINARY(32),
  KEY idx_s_desc (s DESC),
  KEY idx_n (n) IGNORED
) ENGINE=InnoDB;
INSERT INTO t_big
  SELECT seq, MD5(seq), seq / 7, seq * 1.001, '2000-01-01 00:00:00' + INTERVAL seq MINUTE,
         UNHEX(SHA2(seq, 256))
  FROM seq_1_to_5000;
DELETE FROM t_big WHERE id % 97 = 0;
UPDATE t_big SET s = CONCAT(s, '\'"\\\n') WHERE id % 500 = 1;

-- An empty table.
CREATE TABLE t_empty (id INT NOT NULL PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;


-- ---------------------------------------------------------------------------------------------
-- 13. A table wider than 50 columns (61).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_wide (
  id INT NOT NULL PRIMARY KEY,
  `w01_int` INT, `w02_vc` VARCHAR(20), `w03_dbl` DOUBLE, `w04_date` DATE, `w05_dec` DECIMAL(10,3),
  `w06_vb` VARBINARY(8), `w07_tiu` TINYINT UNSIGNED, `w08_txt` TEXT, `w09_dt` DATETIME(3), `w10_flt` FLOAT,
  `w11_int` INT, `w12_vc` VARCHAR(20), `w13_dbl` DOUBLE, `w14_date` DATE, `w15_dec` DECIMAL(10,3),
  `w16_vb` VARBINARY(8), `w17_tiu` TINYINT UNSIGNED, `w18_txt` TEXT, `w19_dt` DATETIME(3), `w20_flt` FLOAT,
  `w21_int` INT, `w22_vc` VARCHAR(20), `w23_dbl` DOUBLE, `w24_date` DATE, `w25_dec` DECIMAL(10,3),
  `w26_vb` VARBINARY(8), `w27_tiu` TINYINT UNSIGNED, `w28_txt` TEXT, `w29_dt` DATETIME(3), `w30_flt` FLOAT,
  `w31_int` INT, `w32_vc` VARCHAR(20), `w33_dbl` DOUBLE, `w34_date` DATE, `w35_dec` DECIMAL(10,3),
  `w36_vb` VARBINARY(8), `w37_tiu` TINYINT UNSIGNED, `w38_txt` TEXT, `w39_dt` DATETIME(3), `w40_flt` FLOAT,
  `w41_int` INT, `w42_vc` VARCHAR(20), `w43_dbl` DOUBLE, `w44_date` DATE, `w45_dec` DECIMAL(10,3),
  `w46_vb` VARBINARY(8), `w47_tiu` TINYINT UNSIGNED, `w48_txt` TEXT, `w49_dt` DATETIME(3), `w50_flt` FLOAT,
  `w51_int` INT, `w52_vc` VARCHAR(20), `w53_dbl` DOUBLE, `w54_date` DATE, `w55_dec` DECIMAL(10,3),
  `w56_vb` VARBINARY(8), `w57_tiu` TINYINT UNSIGNED, `w58_txt` TEXT, `w59_dt` DATETIME(3), `w60_flt` FLOAT
) ENGINE=InnoDB COMMENT='61 columns';
INSERT INTO t_wide (id) VALUES (1);  -- row of NULLs
INSERT INTO t_wide VALUES (2,
  -1, 'w2 ''q'' \\', 3.25e10, '2001-01-05', -5.125, X'00065C27', 7, 'line 8\nnext', '2001-02-03 04:05:10.123', 10.5,
  -11, 'w12 ''q'' \\', 13.25e10, '2001-01-15', -15.125, X'00105C27', 17, 'line 18\nnext', '2001-02-03 04:05:20.123', 20.5,
  -21, 'w22 ''q'' \\', 23.25e10, '2001-01-25', -25.125, X'001A5C27', 27, 'line 28\nnext', '2001-02-03 04:05:02.123', 30.5,
  -31, 'w32 ''q'' \\', 33.25e10, '2001-01-07', -35.125, X'00245C27', 37, 'line 38\nnext', '2001-02-03 04:05:12.123', 40.5,
  -41, 'w42 ''q'' \\', 43.25e10, '2001-01-17', -45.125, X'002E5C27', 47, 'line 48\nnext', '2001-02-03 04:05:22.123', 50.5,
  -51, 'w52 ''q'' \\', 53.25e10, '2001-01-27', -55.125, X'00385C27', 57, 'line 58\nnext', '2001-02-03 04:05:04.123', 60.5
);
INSERT INTO t_wide VALUES (3,
  100, '日本2', -3e-100, '1999-12-05', 5, '', 255, '', '2099-12-31 23:59:10.999', -10e-5,
  1100, '日本12', -13e-100, '1999-12-15', 15, '', 255, '', '2099-12-31 23:59:20.999', -20e-5,
  2100, '日本22', -23e-100, '1999-12-25', 25, '', 255, '', '2099-12-31 23:59:02.999', -30e-5,
  3100, '日本32', -33e-100, '1999-12-07', 35, '', 255, '', '2099-12-31 23:59:12.999', -40e-5,
  4100, '日本42', -43e-100, '1999-12-17', 45, '', 255, '', '2099-12-31 23:59:22.999', -50e-5,
  5100, '日本52', -53e-100, '1999-12-27', 55, '', 255, '', '2099-12-31 23:59:04.999', -60e-5
);


-- ---------------------------------------------------------------------------------------------
-- 14. AUTO_INCREMENT counter ahead of the data (AUTO_INCREMENT=1000 while MAX(id)=10), and a
--     row with id 0 that only survives if NO_AUTO_VALUE_ON_ZERO is set during restore.
--     MyISAM per-group AUTO_INCREMENT on the second column of a composite key.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_autoinc (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  v  VARCHAR(20)
) ENGINE=InnoDB;
INSERT INTO t_autoinc (v) VALUES ('r1'), ('r2'), ('r3'), ('r4'), ('r5'), ('r6'), ('r7'), ('r8'), ('r9'), ('r10');
INSERT INTO t_autoinc (id, v) VALUES (999, 'deleted');
DELETE FROM t_autoinc WHERE id = 999;                    -- AUTO_INCREMENT stays at 1000
SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO');
INSERT INTO t_autoinc (id, v) VALUES (0, 'id zero');
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

CREATE TABLE t_myisam_groups (
  grp CHAR(3) NOT NULL,
  seq INT NOT NULL AUTO_INCREMENT,
  v   VARCHAR(10),
  PRIMARY KEY (grp, seq)
) ENGINE=MyISAM;
INSERT INTO t_myisam_groups (grp, v) VALUES ('aaa', 'a1'), ('bbb', 'b1'), ('aaa', 'a2'), ('aaa', 'a3'), ('bbb', 'b2');


-- ---------------------------------------------------------------------------------------------
-- 15. Generated (VIRTUAL and STORED) columns, an INVISIBLE column holding non-default values,
--     column- and table-level CHECK constraints, an index on a virtual column.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_gen (
  id     INT NOT NULL PRIMARY KEY,
  qty    INT NOT NULL CHECK (qty >= 0),
  price  DECIMAL(10,2) NOT NULL,
  total  DECIMAL(14,2) AS (qty * price) STORED,
  label  VARCHAR(60) AS (CONCAT('#', id, ' x', qty)) VIRTUAL,
  secret VARCHAR(20) INVISIBLE DEFAULT 'hidden',
  CONSTRAINT chk_price CHECK (price >= 0 AND price < 1000000),
  CONSTRAINT `chk qty vs price` CHECK (qty < 1000 OR price < 10),
  KEY idx_label (label)
) ENGINE=InnoDB;
INSERT INTO t_gen (id, qty, price, secret) VALUES
  (1, 2, 3.50, 'not the default'), (2, 0, 0, NULL), (3, 999, 9999.99, DEFAULT), (4, 5000, 1.25, '');
INSERT INTO t_gen VALUES (5, 1, 1, DEFAULT, DEFAULT);   -- without a column list: secret is not listed


-- ---------------------------------------------------------------------------------------------
-- 16. Partitioned tables: RANGE (with a MAXVALUE partition) and HASH.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_part_range (
  id INT NOT NULL,
  d  DATE NOT NULL,
  v  VARCHAR(20),
  PRIMARY KEY (id, d)
) ENGINE=InnoDB
PARTITION BY RANGE (YEAR(d)) (
  PARTITION p2019 VALUES LESS THAN (2020) COMMENT 'before 2020',
  PARTITION p2020 VALUES LESS THAN (2021),
  PARTITION pmax  VALUES LESS THAN MAXVALUE
);
INSERT INTO t_part_range VALUES
  (1, '2018-05-05', 'old'), (2, '2019-12-31', 'edge'), (3, '2020-01-01', 'new year'),
  (4, '2020-06-30', 'mid'), (5, '2099-01-01', 'future'), (6, '1000-01-01', 'ancient');

CREATE TABLE t_part_hash (
  id INT NOT NULL PRIMARY KEY,
  v  VARCHAR(20)
) ENGINE=InnoDB
PARTITION BY HASH (id) PARTITIONS 4;
INSERT INTO t_part_hash SELECT seq, CONCAT('h', seq) FROM seq_1_to_40;


-- ---------------------------------------------------------------------------------------------
-- 17. Foreign keys: a cycle (fk_a -> fk_b -> fk_a, loaded with foreign_key_checks=0), a
--     self-reference whose parents have higher ids than their children, ON DELETE CASCADE /
--     ON UPDATE CASCADE with a child table that sorts before its parent.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE fk_a (id INT NOT NULL PRIMARY KEY, b_id INT NULL, KEY (b_id)) ENGINE=InnoDB;
CREATE TABLE fk_b (id INT NOT NULL PRIMARY KEY, a_id INT NULL, KEY (a_id)) ENGINE=InnoDB;
ALTER TABLE fk_a ADD CONSTRAINT fk_a_to_b FOREIGN KEY (b_id) REFERENCES fk_b (id);
ALTER TABLE fk_b ADD CONSTRAINT fk_b_to_a FOREIGN KEY (a_id) REFERENCES fk_a (id);
SET SESSION foreign_key_checks = 0;
INSERT INTO fk_a VALUES (1, 10), (2, 20), (3, NULL);
INSERT INTO fk_b VALUES (10, 2), (20, 1), (30, NULL);
SET SESSION foreign_key_checks = 1;

CREATE TABLE fk_employee (
  id         INT NOT NULL PRIMARY KEY,
  name       VARCHAR(40),
  manager_id INT NULL,
  CONSTRAINT fk_emp_manager FOREIGN KEY (manager_id) REFERENCES fk_employee (id) ON DELETE SET NULL
) ENGINE=InnoDB;
INSERT INTO fk_employee VALUES (5, 'ceo', NULL);
INSERT INTO fk_employee VALUES (4, 'vp', 5);
INSERT INTO fk_employee VALUES (1, 'worker 1', 4), (2, 'worker 2', 4), (3, 'worker 3', 5);

CREATE TABLE fk_parent (id INT NOT NULL PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
CREATE TABLE fk_child (
  id        INT NOT NULL PRIMARY KEY,
  parent_id INT NOT NULL,
  CONSTRAINT `fk child->parent` FOREIGN KEY (parent_id) REFERENCES fk_parent (id)
    ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB;
INSERT INTO fk_parent VALUES (1, 'p1'), (2, 'p2');
INSERT INTO fk_child VALUES (10, 1), (11, 1), (12, 2);


-- ---------------------------------------------------------------------------------------------
-- 18. Non-InnoDB engines: MyISAM (with FULLTEXT), Aria (transactional), MEMORY.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_myisam (
  id   INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  body TEXT,
  FULLTEXT KEY ft_body (body)
) ENGINE=MyISAM AUTO_INCREMENT=500 CHECKSUM=1 DELAY_KEY_WRITE=1;
INSERT INTO t_myisam (body) VALUES ('the quick brown fox'), ('jumps over'), (NULL);

CREATE TABLE t_aria (id INT NOT NULL PRIMARY KEY, v VARCHAR(20)) ENGINE=Aria TRANSACTIONAL=1 PAGE_CHECKSUM=1;
INSERT INTO t_aria VALUES (1, 'aria'), (2, 'ärïä');

CREATE TABLE t_memory (id INT NOT NULL PRIMARY KEY, v VARCHAR(20)) ENGINE=MEMORY;
INSERT INTO t_memory VALUES (1, 'in memory'), (2, NULL);


-- ---------------------------------------------------------------------------------------------
-- 19. Per-table and per-column character sets and collations, and comments with quotes and
--     newlines.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_latin1_table (
  id    INT NOT NULL PRIMARY KEY,
  l     VARCHAR(40),                                               -- inherits latin1_general_cs
  u     VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  u_520 VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci COMMENT 'column ''comment''\nline 2'
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_cs
  COMMENT='table comment: it''s "quoted", with \\ and a\nnewline';
INSERT INTO t_latin1_table VALUES (1, 'Grüße', 'Grüße 😀', 'Straße'), (2, 'ÿ€', '€', 'ǅ');


-- ---------------------------------------------------------------------------------------------
-- 20. Sequences: one advanced with NEXTVAL, one that has cycled, and a table whose DEFAULT
--     uses a sequence whose name sorts after the table (it must be created first).
-- ---------------------------------------------------------------------------------------------
CREATE SEQUENCE s_order START WITH 100 INCREMENT BY 5 MINVALUE 1 MAXVALUE 1000000 CACHE 10 NOCYCLE;
DO NEXTVAL(s_order), NEXTVAL(s_order), NEXTVAL(s_order);

CREATE SEQUENCE `s cycle` START WITH 1 MINVALUE 1 MAXVALUE 3 INCREMENT BY 1 CACHE 2 CYCLE;
DO NEXTVAL(`s cycle`), NEXTVAL(`s cycle`), NEXTVAL(`s cycle`), NEXTVAL(`s cycle`), NEXTVAL(`s cycle`);

CREATE SEQUENCE zz_seq START WITH -10 MINVALUE -100 MAXVALUE 100 INCREMENT BY -3 NOCACHE;
CREATE TABLE a_uses_seq (
  id BIGINT NOT NULL DEFAULT NEXTVAL(zz_seq) PRIMARY KEY,
  v  VARCHAR(10)
) ENGINE=InnoDB;
INSERT INTO a_uses_seq (v) VALUES ('first'), ('second');


-- ---------------------------------------------------------------------------------------------
-- 21. Stored function and procedure.  The function is created under a non-default sql_mode
--     (PIPES_AS_CONCAT + ANSI_QUOTES) that changes how its body parses, so a restore that does
--     not re-apply the routine's sql_mode fails or changes its meaning.  The procedure has
--     IN/OUT/INOUT parameters, a comment with quotes and ";" and ";;" inside strings.
-- ---------------------------------------------------------------------------------------------
SET SESSION sql_mode = 'PIPES_AS_CONCAT,ANSI_QUOTES,STRICT_ALL_TABLES';
DELIMITER ;;
CREATE FUNCTION f_greet(p_name VARCHAR(50) CHARSET utf8mb4) RETURNS VARCHAR(100) CHARSET utf8mb4
  DETERMINISTIC
  NO SQL
  COMMENT 'uses || as concatenation; "x" is an identifier here'
BEGIN
  DECLARE "greeting" VARCHAR(20) DEFAULT 'Hello, ';
  RETURN "greeting" || p_name || '!';
END;;
DELIMITER ;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';

DELIMITER ;;
CREATE PROCEDURE `p_count rows`(IN p_min INT, OUT p_total BIGINT, INOUT p_note VARCHAR(100))
  READS SQL DATA
  SQL SECURITY INVOKER
  COMMENT 'it''s a procedure with "quotes"; and a semicolon'
BEGIN
  /* a comment; with semicolons ;; inside */
  DECLARE v_sep VARCHAR(5) DEFAULT ';;';
  SELECT COUNT(*) INTO p_total FROM t_big WHERE id >= p_min;
  SET p_note = CONCAT(IFNULL(p_note, ''), v_sep, 'counted\t', p_total, ' rows; 日本 😀');
END;;
DELIMITER ;


-- ---------------------------------------------------------------------------------------------
-- 22. Triggers: two BEFORE INSERT triggers on the same table, ordered with FOLLOWS, which
--     change the row; an AFTER INSERT trigger writing to a log table.  The rows below were
--     inserted with the triggers in place, so a restore that creates the triggers before
--     loading the data changes them a second time.
--     Note: the server does not keep "FOLLOWS" in the trigger text (only ACTION_ORDER in
--     information_schema.TRIGGERS shows it), and the stock client strips the comments below.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE t_trig (
  id   INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  note VARCHAR(200),
  qty  INT
) ENGINE=InnoDB;
CREATE TABLE t_trig_log (
  id  INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  msg VARCHAR(200)
) ENGINE=InnoDB;

DELIMITER ;;
CREATE TRIGGER trg_bi_first BEFORE INSERT ON t_trig FOR EACH ROW
BEGIN
  SET NEW.note = CONCAT(IFNULL(NEW.note, ''), '+first');
END;;
CREATE TRIGGER trg_bi_second BEFORE INSERT ON t_trig FOR EACH ROW FOLLOWS trg_bi_first
BEGIN
  -- runs after trg_bi_first; 'quotes' and ; in a comment
  SET NEW.note = CONCAT(NEW.note, '+second;');
  SET NEW.qty = IFNULL(NEW.qty, 0) * 10;
END;;
CREATE TRIGGER `trg ai log` AFTER INSERT ON t_trig FOR EACH ROW
  INSERT INTO t_trig_log (msg) VALUES (CONCAT('inserted ', NEW.id, ': ', NEW.note));;
DELIMITER ;
INSERT INTO t_trig (note, qty) VALUES ('a', 1), ('b''s', 2), (NULL, NULL);


-- ---------------------------------------------------------------------------------------------
-- 23. Events: both disabled so they never run.  The second is DISABLE ON SLAVE and was created
--     in another time zone (+05:30), which SHOW CREATE EVENT reports.
-- ---------------------------------------------------------------------------------------------
DELIMITER ;;
CREATE EVENT ev_cleanup
  ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' ENDS '2031-01-01 00:00:00'
  ON COMPLETION PRESERVE
  DISABLE
  COMMENT 'never runs; it''s disabled'
  DO BEGIN
    DELETE FROM t_trig_log WHERE id < 0;
  END;;
DELIMITER ;
SET SESSION time_zone = '+05:30';
CREATE EVENT `ev at once`
  ON SCHEDULE AT '2035-06-15 12:00:00'
  ON COMPLETION PRESERVE
  DISABLE ON SLAVE
  DO INSERT INTO t_trig_log (msg) VALUES ('event ran');
SET SESSION time_zone = '+00:00';


-- ---------------------------------------------------------------------------------------------
-- 24. hostile_other: latin1 database, tables inheriting it, a function in a latin1 database.
-- ---------------------------------------------------------------------------------------------
USE hostile_other;

CREATE TABLE t_other (
  id  INT NOT NULL PRIMARY KEY,
  txt VARCHAR(50),                                   -- latin1_german1_ci from the database
  u   VARCHAR(50) CHARACTER SET utf8mb4,
  cy  VARCHAR(50) CHARACTER SET cp1251
) ENGINE=InnoDB;
INSERT INTO t_other VALUES
  (1, 'Grüße aus Köln', 'Grüße 😀', 'Москва'),
  (2, _latin1 X'A3A5A7A9AEB0B5BCBDBEC6D0DEDFE6F0FEFF', '日本', NULL),
  (3, '\\''', '\\''', '\\''');

CREATE TABLE t_other_utf8 (id INT NOT NULL PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO t_other_utf8 VALUES (1, 'ütf8 in latin1 db');

DELIMITER ;;
CREATE FUNCTION f_other(x INT) RETURNS VARCHAR(30) DETERMINISTIC NO SQL
  RETURN CONCAT('Größe ', x);;
DELIMITER ;


-- ---------------------------------------------------------------------------------------------
-- 25. Views.  A view and a view on that view (the base view's name sorts after the dependent
--     one); cross-database views in both directions (hostile_other -> hostile table, and
--     hostile -> hostile_other view); SQL SECURITY INVOKER; WITH CHECK OPTION (CASCADED and
--     LOCAL); ALGORITHM=TEMPTABLE with odd column names; a view calling a stored function.
-- ---------------------------------------------------------------------------------------------
USE hostile;
CREATE VIEW v_z_base AS
  SELECT id, ti, biu, zf FROM t_int WHERE id <= 3;
CREATE VIEW v_a_on_z AS
  SELECT id, biu FROM v_z_base WHERE id > 1;

USE hostile_other;
CREATE VIEW v_from_hostile AS
  SELECT b.id, b.s, o.txt FROM hostile.t_big AS b LEFT JOIN t_other AS o ON o.id = b.id WHERE b.id <= 100;

USE hostile;
CREATE VIEW v_from_other AS
  SELECT id, s FROM hostile_other.v_from_hostile WHERE id % 2 = 0;

CREATE SQL SECURITY INVOKER VIEW v_invoker AS
  SELECT `order`, `from`, `back``tick` FROM `select`;

CREATE VIEW v_check AS
  SELECT a, b, v FROM t_composite_pk WHERE a > 0
  WITH CASCADED CHECK OPTION;
CREATE VIEW v_check_local AS
  SELECT a, b FROM v_check WHERE b <> 'zzz'
  WITH LOCAL CHECK OPTION;

CREATE ALGORITHM=TEMPTABLE VIEW `v odd name` (`col one`, `col``two`, `日本`) AS
  SELECT id, s, 'it''s \\ "x"' FROM t_big WHERE id < 10;

CREATE VIEW v_uses_function AS
  SELECT `order`, f_greet(`from`) AS greeting, hostile_other.f_other(`order`) AS other FROM `select`;


SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = 'SYSTEM';
-- end of hostile.sql
