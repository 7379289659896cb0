/*
 * e6data_odbc.h - driver-specific definitions of the e6data ODBC driver.
 *
 * Connection attributes in the driver range (>= 16384). All three are READ-ONLY strings,
 * available on an open connection (SQLGetConnectAttr / SQLGetConnectAttrW; the buffer length
 * and the returned length are in bytes; setting them fails with SQLSTATE HY092, reading them
 * before connecting fails with 08003).
 *
 * e6data deploys every cluster twice ("blue" and "green"). The driver routes each request to
 * the active colour, keeps running queries on the colour they started on, and switches new
 * work when the engine announces a new colour and no query is pinned to the old one.
 */
#ifndef E6DATA_ODBC_H
#define E6DATA_ODBC_H

/* The colour new work is sent to: "blue", "green", or "" before the first detection. */
#define SQL_ATTR_E6_ACTIVE_STRATEGY 16385

/* The colour the engine announced and the driver will switch to once no query is pinned to
 * the active one: "blue", "green", or "" when no switch is pending. */
#define SQL_ATTR_E6_PENDING_STRATEGY 16386

/* A JSON object describing the strategy state of this connection's target, e.g.
 * {"target":"host:port","active":"blue","pending":null,"pinned_queries":0,
 *  "last_check_time":1732460000.5,"last_transition_time":null,"generation":1}
 * (times are epoch seconds or null). */
#define SQL_ATTR_E6_STRATEGY_STATE 16387

#endif /* E6DATA_ODBC_H */
