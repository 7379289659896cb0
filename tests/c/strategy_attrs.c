/*
 * strategy_attrs: prints the blue/green strategy attributes of an e6data ODBC connection.
 *
 *   strategy_attrs CONNECTION_STRING [STEP ...]
 *
 * Connects with SQLDriverConnect, then prints one line
 *
 *   active=<colour> pending=<colour> state=<json>
 *
 * read from the driver's connection attributes SQL_ATTR_E6_ACTIVE_STRATEGY (16385),
 * SQL_ATTR_E6_PENDING_STRATEGY (16386) and SQL_ATTR_E6_STRATEGY_STATE (16387). Each attribute is
 * read through both SQLGetConnectAttr and SQLGetConnectAttrW and the two answers must agree.
 *
 * Each STEP runs on the same connection and is followed by another such line:
 *   - "!COMMAND" runs COMMAND through the shell (e.g. "!e6data-local ctl switch --to green");
 *   - anything else is SQL, executed with SQLExecDirect and fetched to the end.
 * Step progress goes to stderr, attribute lines to stdout.
 *
 * Exit status: 0 on success; 1 on any ODBC error (its diagnostic records are printed to stderr)
 * or failed shell step; 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>

#include "e6data_odbc.h"

#define ATTR_BUFFER_BYTES 65536

/* Prints every diagnostic record of a handle to stderr. */
static void print_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle)
{
    SQLCHAR state[6];
    SQLCHAR message[4096];
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLSMALLINT record = 1;
    while (SQLGetDiagRec(handle_type, handle, record, state, &native, message,
                         (SQLSMALLINT)sizeof(message), &length) == SQL_SUCCESS) {
        fprintf(stderr, "  diag %d: SQLSTATE=%s native=%ld %s\n", (int)record, (char *)state,
                (long)native, (char *)message);
        record++;
    }
    if (record == 1) {
        fprintf(stderr, "  (no diagnostic records)\n");
    }
}

/* Fails the program when rc is an error, printing what was being done and the diagnostics. */
static int check(SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle, const char *what)
{
    if (rc == SQL_SUCCESS || rc == SQL_NO_DATA) {
        return 0;
    }
    if (rc == SQL_SUCCESS_WITH_INFO) {
        fprintf(stderr, "%s: SQL_SUCCESS_WITH_INFO\n", what);
        print_diagnostics(handle_type, handle);
        return 0;
    }
    fprintf(stderr, "%s failed: return code %d\n", what, (int)rc);
    if (rc != SQL_INVALID_HANDLE) {
        print_diagnostics(handle_type, handle);
    }
    return 1;
}

/* Reads a string connection attribute through the ANSI entry point into out (NUL-terminated). */
static int read_attr_narrow(SQLHDBC dbc, SQLINTEGER attr, char *out, SQLINTEGER out_bytes)
{
    SQLINTEGER length = 0;
    char what[64];
    snprintf(what, sizeof(what), "SQLGetConnectAttr(%ld)", (long)attr);
    SQLRETURN rc = SQLGetConnectAttr(dbc, attr, out, out_bytes, &length);
    if (check(rc, SQL_HANDLE_DBC, dbc, what)) {
        return 1;
    }
    if (length < 0 || length >= out_bytes) {
        fprintf(stderr, "%s: unexpected length %ld for a %ld-byte buffer\n", what, (long)length,
                (long)out_bytes);
        return 1;
    }
    out[length] = '\0';
    return 0;
}

/* Reads a string connection attribute through the wide entry point, as UTF-8 into out. */
static int read_attr_wide(SQLHDBC dbc, SQLINTEGER attr, char *out, SQLINTEGER out_bytes)
{
    static SQLWCHAR wide[ATTR_BUFFER_BYTES / sizeof(SQLWCHAR)];
    SQLINTEGER length = 0;
    char what[64];
    snprintf(what, sizeof(what), "SQLGetConnectAttrW(%ld)", (long)attr);
    SQLRETURN rc = SQLGetConnectAttrW(dbc, attr, wide, (SQLINTEGER)sizeof(wide), &length);
    if (check(rc, SQL_HANDLE_DBC, dbc, what)) {
        return 1;
    }
    if (length < 0 || (size_t)length >= sizeof(wide) || length % (SQLINTEGER)sizeof(SQLWCHAR)) {
        fprintf(stderr, "%s: unexpected byte length %ld\n", what, (long)length);
        return 1;
    }
    /* UTF-16 to UTF-8 (the attributes are ASCII JSON and colour names; any code unit is kept). */
    size_t units = (size_t)length / sizeof(SQLWCHAR);
    size_t used = 0;
    for (size_t i = 0; i < units; i++) {
        unsigned int cu = wide[i];
        if (used + 4 >= (size_t)out_bytes) {
            fprintf(stderr, "%s: value too long\n", what);
            return 1;
        }
        if (cu < 0x80) {
            out[used++] = (char)cu;
        } else if (cu < 0x800) {
            out[used++] = (char)(0xC0 | (cu >> 6));
            out[used++] = (char)(0x80 | (cu & 0x3F));
        } else {
            out[used++] = (char)(0xE0 | (cu >> 12));
            out[used++] = (char)(0x80 | ((cu >> 6) & 0x3F));
            out[used++] = (char)(0x80 | (cu & 0x3F));
        }
    }
    out[used] = '\0';
    return 0;
}

/* Reads one attribute both ways, requires the answers to agree, and leaves it in out. */
static int read_attr(SQLHDBC dbc, SQLINTEGER attr, char *out, SQLINTEGER out_bytes)
{
    static char wide_utf8[ATTR_BUFFER_BYTES];
    if (read_attr_narrow(dbc, attr, out, out_bytes)) {
        return 1;
    }
    if (read_attr_wide(dbc, attr, wide_utf8, (SQLINTEGER)sizeof(wide_utf8))) {
        return 1;
    }
    if (strcmp(out, wide_utf8) != 0) {
        fprintf(stderr, "attribute %ld differs: narrow '%s', wide '%s'\n", (long)attr, out,
                wide_utf8);
        return 1;
    }
    return 0;
}

/* Prints the `active=.. pending=.. state=..` line. */
static int print_attrs(SQLHDBC dbc)
{
    static char active[256];
    static char pending[256];
    static char state[ATTR_BUFFER_BYTES];
    if (read_attr(dbc, SQL_ATTR_E6_ACTIVE_STRATEGY, active, (SQLINTEGER)sizeof(active)) ||
        read_attr(dbc, SQL_ATTR_E6_PENDING_STRATEGY, pending, (SQLINTEGER)sizeof(pending)) ||
        read_attr(dbc, SQL_ATTR_E6_STRATEGY_STATE, state, (SQLINTEGER)sizeof(state))) {
        return 1;
    }
    printf("active=%s pending=%s state=%s\n", active, pending, state);
    fflush(stdout);
    return 0;
}

/* Executes SQL on a new statement and fetches every row. */
static int run_sql(SQLHDBC dbc, const char *sql)
{
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (check(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt), SQL_HANDLE_DBC, dbc,
              "SQLAllocHandle(STMT)")) {
        return 1;
    }
    int failed = check(SQLExecDirect(stmt, (SQLCHAR *)sql, SQL_NTS), SQL_HANDLE_STMT, stmt,
                       "SQLExecDirect");
    long rows = 0;
    while (!failed) {
        SQLRETURN rc = SQLFetch(stmt);
        if (rc == SQL_NO_DATA) {
            break;
        }
        failed = check(rc, SQL_HANDLE_STMT, stmt, "SQLFetch");
        if (!failed) {
            rows++;
        }
    }
    if (!failed) {
        fprintf(stderr, "# %ld row(s)\n", rows);
    }
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CONNECTION_STRING [SQL | !SHELL_COMMAND ...]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    SQLHENV env = SQL_NULL_HENV;
    SQLHDBC dbc = SQL_NULL_HDBC;
    if (SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env) != SQL_SUCCESS) {
        fprintf(stderr, "SQLAllocHandle(ENV) failed\n");
        return 1;
    }
    int failed = check(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0),
                       SQL_HANDLE_ENV, env, "SQLSetEnvAttr(ODBC_VERSION)");
    if (!failed) {
        failed = check(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc), SQL_HANDLE_ENV, env,
                       "SQLAllocHandle(DBC)");
    }
    int connected = 0;
    if (!failed) {
        SQLCHAR out[4096];
        SQLSMALLINT out_length = 0;
        failed = check(SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, out,
                                        (SQLSMALLINT)sizeof(out), &out_length,
                                        SQL_DRIVER_NOPROMPT),
                       SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
        connected = !failed;
    }
    if (!failed) {
        failed = print_attrs(dbc);
    }
    for (int i = 2; i < argc && !failed; i++) {
        const char *step = argv[i];
        if (step[0] == '!') {
            fprintf(stderr, "# step %d: shell %s\n", i - 1, step + 1);
            fflush(stderr);
            int status = system(step + 1);
            if (status != 0) {
                fprintf(stderr, "shell step failed with status %d: %s\n", status, step + 1);
                failed = 1;
            }
        } else {
            fprintf(stderr, "# step %d: sql %s\n", i - 1, step);
            failed = run_sql(dbc, step);
        }
        if (!failed) {
            failed = print_attrs(dbc);
        }
    }
    if (connected) {
        failed |= check(SQLDisconnect(dbc), SQL_HANDLE_DBC, dbc, "SQLDisconnect");
    }
    if (dbc != SQL_NULL_HDBC) {
        SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    }
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return failed ? 1 : 0;
}
