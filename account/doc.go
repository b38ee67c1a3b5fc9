// Package account runs the lifecycle of username/password accounts for
// credential issuers and portals such as the national archive portal
// (seed 004).
//
// A [Service] sits on a [Store] (account/sqlitestore is the embedded
// default, account/pgstore the production backend; account/storetest is
// the conformance suite both pass) and covers:
//
//   - creation with generated usernames, surname + first letter of the
//     first name + an incrementing number with diacritics folded
//     ("Nováková Jana" -> "novakovaj1"), one-time originator accounts
//     "puvodce" + number, unique across processes because the number comes
//     from the store (A3);
//   - random temporary passwords that must be changed at first login (A4);
//   - login with argon2id (account/password), transparent rehash, a dummy
//     verification for unknown usernames, and takeover of bcrypt and PBKDF2
//     hashes from another issuer (N29);
//   - password changes checked against a versioned profile
//     (account/policy; "narp" implements A5) plus the password history
//     (12 by default) and expiry (12 months by default) with warnings;
//   - reset by a 256-bit single-use token from crypto/rand, stored as
//     SHA-256, valid 30 minutes, sent to the registered e-mail; the central
//     administrator is notified and can block the account (A6);
//   - suspension after repeated failures or a suspicious login, with the
//     user notified and a 72-hour review deadline; restore or cancel (A9);
//   - deletion schedules per role run by an idempotent [Service.Sweep]
//     (A10), and immediate deletion on a serious breach;
//   - an audit trail of every account event: who, what, when and from where
//     (A11), written in the same transaction as the change.
//
// Every change is one store transaction with a compare-and-swap on the
// account version: a rejected change leaves the stored account as it was
// and a crash loses nothing.
package account
