// Package sqlstore implements account.Store on database/sql for the SQLite
// and PostgreSQL backends, which differ only in their Dialect: placeholder
// style, unique-violation detection, migrations and the migration lock.
//
// Times are stored as microseconds since the Unix epoch (0 means the zero
// time), booleans as integers and lists as JSON text, so both engines hold
// identical values.
package sqlstore
