package issuerapp

import "errors"

var (
	// ErrConfig reports unusable flags or Config fields; the message names
	// the field.
	ErrConfig = errors.New("issuer: invalid configuration")
	// ErrDataDir reports a data directory whose files cannot be read or
	// created.
	ErrDataDir = errors.New("issuer: data directory unusable")
	// ErrCertMissing reports that the e-service's certificate file, which
	// anchors trust in its metadata, does not exist (yet).
	ErrCertMissing = errors.New("issuer: e-service certificate file not found")
	// ErrBadCode reports a one-time code that is malformed, wrong, outside
	// the time window or already used.
	ErrBadCode = errors.New("issuer: one-time code not accepted")
	// ErrTooManyAttempts ends a sign-in after maxAttempts wrong passwords
	// or codes; the IdP tells the e-service AuthnFailed.
	ErrTooManyAttempts = errors.New("issuer: too many failed attempts")
	// ErrLocked reports an account locked after too many wrong passwords;
	// the browser sees the same message as for a wrong password.
	ErrLocked = errors.New("issuer: account temporarily locked")
	// ErrBusy reports that too many sign-ins are in progress; the IdP
	// tells the e-service AuthnFailed.
	ErrBusy = errors.New("issuer: too many sign-ins in progress")
)
