// Package storetest is the conformance suite every account.Store backend
// runs, like net/http/httptest ships test helpers: a backend's whole test
// is a call to Run with a factory.
//
// The suite checks the contract written on account.Store: ErrNotFound and
// ErrAlreadyExists, compare-and-swap updates (ErrConflict) that commit all
// or nothing, atomic deletes that keep the audit trail, reset tokens that
// read as not found once used or expired (the caller passes the time),
// password-history trimming, the per-base username counter, and
// contention subtests meant to run under -race. One of them has 100
// goroutines create accounts for the same name through account.Service;
// all must get distinct usernames. RunShared runs the same test across
// several handles on one database, as several processes would use it.
package storetest
