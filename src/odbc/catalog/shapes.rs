//! The ODBC 3 result-set shapes of the catalog functions: column names, order, SQL types and
//! nullability exactly as the specification lists them.

use super::result::{ResultColumn, int, int_nn, small, small_nn, text, text_nn};

/// SQLTables.
pub static TABLES: [ResultColumn; 5] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text("TABLE_NAME"),
    text("TABLE_TYPE"),
    text("REMARKS"),
];

/// SQLColumns.
pub static COLUMNS: [ResultColumn; 18] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text_nn("TABLE_NAME"),
    text_nn("COLUMN_NAME"),
    small_nn("DATA_TYPE"),
    text_nn("TYPE_NAME"),
    int("COLUMN_SIZE"),
    int("BUFFER_LENGTH"),
    small("DECIMAL_DIGITS"),
    small("NUM_PREC_RADIX"),
    small_nn("NULLABLE"),
    text("REMARKS"),
    text("COLUMN_DEF"),
    small_nn("SQL_DATA_TYPE"),
    small("SQL_DATETIME_SUB"),
    int("CHAR_OCTET_LENGTH"),
    int_nn("ORDINAL_POSITION"),
    text("IS_NULLABLE"),
];

/// SQLGetTypeInfo.
pub static TYPE_INFO: [ResultColumn; 19] = [
    text_nn("TYPE_NAME"),
    small_nn("DATA_TYPE"),
    int("COLUMN_SIZE"),
    text("LITERAL_PREFIX"),
    text("LITERAL_SUFFIX"),
    text("CREATE_PARAMS"),
    small_nn("NULLABLE"),
    small_nn("CASE_SENSITIVE"),
    small_nn("SEARCHABLE"),
    small("UNSIGNED_ATTRIBUTE"),
    small_nn("FIXED_PREC_SCALE"),
    small("AUTO_UNIQUE_VALUE"),
    text("LOCAL_TYPE_NAME"),
    small("MINIMUM_SCALE"),
    small("MAXIMUM_SCALE"),
    small_nn("SQL_DATA_TYPE"),
    small("SQL_DATETIME_SUB"),
    int("NUM_PREC_RADIX"),
    small("INTERVAL_PRECISION"),
];

/// SQLPrimaryKeys.
pub static PRIMARY_KEYS: [ResultColumn; 6] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text_nn("TABLE_NAME"),
    text_nn("COLUMN_NAME"),
    small_nn("KEY_SEQ"),
    text("PK_NAME"),
];

/// SQLForeignKeys.
pub static FOREIGN_KEYS: [ResultColumn; 14] = [
    text("PKTABLE_CAT"),
    text("PKTABLE_SCHEM"),
    text_nn("PKTABLE_NAME"),
    text_nn("PKCOLUMN_NAME"),
    text("FKTABLE_CAT"),
    text("FKTABLE_SCHEM"),
    text_nn("FKTABLE_NAME"),
    text_nn("FKCOLUMN_NAME"),
    small_nn("KEY_SEQ"),
    small("UPDATE_RULE"),
    small("DELETE_RULE"),
    text("FK_NAME"),
    text("PK_NAME"),
    small("DEFERRABILITY"),
];

/// SQLStatistics.
pub static STATISTICS: [ResultColumn; 13] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text_nn("TABLE_NAME"),
    small("NON_UNIQUE"),
    text("INDEX_QUALIFIER"),
    text("INDEX_NAME"),
    small_nn("TYPE"),
    small("ORDINAL_POSITION"),
    text("COLUMN_NAME"),
    text("ASC_OR_DESC"),
    int("CARDINALITY"),
    int("PAGES"),
    text("FILTER_CONDITION"),
];

/// SQLSpecialColumns.
pub static SPECIAL_COLUMNS: [ResultColumn; 8] = [
    small("SCOPE"),
    text_nn("COLUMN_NAME"),
    small_nn("DATA_TYPE"),
    text_nn("TYPE_NAME"),
    int("COLUMN_SIZE"),
    int("BUFFER_LENGTH"),
    small("DECIMAL_DIGITS"),
    small("PSEUDO_COLUMN"),
];

/// SQLProcedures.
pub static PROCEDURES: [ResultColumn; 8] = [
    text("PROCEDURE_CAT"),
    text("PROCEDURE_SCHEM"),
    text_nn("PROCEDURE_NAME"),
    int("NUM_INPUT_PARAMS"),
    int("NUM_OUTPUT_PARAMS"),
    int("NUM_RESULT_SETS"),
    text("REMARKS"),
    small("PROCEDURE_TYPE"),
];

/// SQLProcedureColumns.
pub static PROCEDURE_COLUMNS: [ResultColumn; 19] = [
    text("PROCEDURE_CAT"),
    text("PROCEDURE_SCHEM"),
    text_nn("PROCEDURE_NAME"),
    text_nn("COLUMN_NAME"),
    small_nn("COLUMN_TYPE"),
    small_nn("DATA_TYPE"),
    text_nn("TYPE_NAME"),
    int("COLUMN_SIZE"),
    int("BUFFER_LENGTH"),
    small("DECIMAL_DIGITS"),
    small("NUM_PREC_RADIX"),
    small_nn("NULLABLE"),
    text("REMARKS"),
    text("COLUMN_DEF"),
    small_nn("SQL_DATA_TYPE"),
    small("SQL_DATETIME_SUB"),
    int("CHAR_OCTET_LENGTH"),
    int_nn("ORDINAL_POSITION"),
    text("IS_NULLABLE"),
];

/// SQLTablePrivileges.
pub static TABLE_PRIVILEGES: [ResultColumn; 7] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text_nn("TABLE_NAME"),
    text("GRANTOR"),
    text_nn("GRANTEE"),
    text_nn("PRIVILEGE"),
    text("IS_GRANTABLE"),
];

/// SQLColumnPrivileges.
pub static COLUMN_PRIVILEGES: [ResultColumn; 8] = [
    text("TABLE_CAT"),
    text("TABLE_SCHEM"),
    text_nn("TABLE_NAME"),
    text_nn("COLUMN_NAME"),
    text("GRANTOR"),
    text_nn("GRANTEE"),
    text_nn("PRIVILEGE"),
    text("IS_GRANTABLE"),
];
