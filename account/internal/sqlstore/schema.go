package sqlstore

// Schema returns the migrations for a dialect: "sqlite" or "postgres".
// The two differ only in the auto-increment column type.
func Schema(dialect string) [][]string {
	serial := "INTEGER PRIMARY KEY AUTOINCREMENT"
	if dialect == "postgres" {
		serial = "BIGSERIAL PRIMARY KEY"
	}
	return [][]string{{
		`CREATE TABLE accounts (
			id TEXT PRIMARY KEY,
			username TEXT NOT NULL UNIQUE,
			class TEXT NOT NULL,
			role TEXT NOT NULL,
			status TEXT NOT NULL,
			first_name TEXT NOT NULL,
			surname TEXT NOT NULL,
			email TEXT NOT NULL,
			phone TEXT NOT NULL,
			organisation TEXT NOT NULL,
			archives TEXT NOT NULL,
			identities TEXT NOT NULL,
			password_hash TEXT NOT NULL,
			password_norm TEXT NOT NULL,
			password_changed_at BIGINT NOT NULL,
			must_change INTEGER NOT NULL,
			second_factor INTEGER NOT NULL,
			failed_logins INTEGER NOT NULL,
			last_login_at BIGINT NOT NULL,
			card_expires_at BIGINT NOT NULL,
			procedure_end_at BIGINT NOT NULL,
			expiry_warned_at BIGINT NOT NULL,
			suspended_at BIGINT NOT NULL,
			review_deadline BIGINT NOT NULL,
			suspend_reason TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			version BIGINT NOT NULL
		)`,
		`CREATE TABLE password_history (
			id ` + serial + `,
			account_id TEXT NOT NULL,
			hash TEXT NOT NULL,
			norm TEXT NOT NULL,
			changed_at BIGINT NOT NULL
		)`,
		`CREATE INDEX password_history_account ON password_history (account_id, id)`,
		`CREATE TABLE reset_tokens (
			hash TEXT PRIMARY KEY,
			account_id TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			expires_at BIGINT NOT NULL,
			used_at BIGINT NOT NULL
		)`,
		`CREATE INDEX reset_tokens_account ON reset_tokens (account_id)`,
		`CREATE TABLE events (
			id ` + serial + `,
			at BIGINT NOT NULL,
			account_id TEXT NOT NULL,
			username TEXT NOT NULL,
			actor TEXT NOT NULL,
			action TEXT NOT NULL,
			remote TEXT NOT NULL,
			detail TEXT NOT NULL
		)`,
		`CREATE INDEX events_account ON events (account_id, id)`,
		`CREATE TABLE username_counters (
			base TEXT PRIMARY KEY,
			n BIGINT NOT NULL
		)`,
	}}
}
