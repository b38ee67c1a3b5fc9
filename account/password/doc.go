// Package password stores passwords as argon2id hashes in PHC string form
// and verifies hashes taken over from other issuers.
//
// [Hasher.Hash] produces
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// with explicit parameters (default m=19 MiB, t=2, p=1, the OWASP
// minimum; NIST SP 800-63B rev 4 section 3.1.1.2 asks for a salted,
// memory-hard one-way function). [Hasher.Verify] compares in constant time
// and reports when a hash should be replaced because its parameters or
// algorithm differ from the configured ones, so the caller can rehash
// transparently at login. It also verifies bcrypt ($2a$, $2b$, $2y$) and
// PBKDF2-SHA256/SHA512 hashes (PHC "$pbkdf2-sha256$i=...", passlib
// "$pbkdf2-sha256$N$..." and Django "pbkdf2_sha256$N$...") so accounts
// handed over from another issuer keep working until their first login
// (requirement N29). [Hasher.VerifyDummy] spends the same time as a real
// verification, for unknown usernames.
//
// Parameters read from stored hashes are bounded (MaxMemoryKiB, MaxTime,
// MaxThreads, MaxPBKDF2Iterations, MaxBcryptCost) so a tampered row cannot
// exhaust the machine.
//
// The package hashes the bytes it is given; account normalises passwords
// to NFKC first and records that with the hash.
package password
