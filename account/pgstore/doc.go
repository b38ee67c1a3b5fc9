// Package pgstore is the production account.Store on PostgreSQL (pgx v5).
//
// Each Store lives in one schema (Config.Schema, created if missing), so
// several deployments or test runs share a database without touching each
// other. Migrations run on Open under a transaction-scoped advisory lock,
// so servers starting together apply each migration once.
package pgstore
